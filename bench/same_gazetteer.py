"""Compare two gazetteer files table by table (the build time in ``meta`` aside).

    python bench/same_gazetteer.py A.sqlite B.sqlite

Exit 1 when any table differs; says which and by how many rows. Used to show that
a change to geo/gazetteer_build.py builds the same file.
"""
import sqlite3
import sys


def rows(path, table):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = con.execute(f"SELECT * FROM {table}").fetchall()  # noqa: S608 - fixed table names
    finally:
        con.close()
    if table == "meta":
        out = [r for r in out if r[0] != "built"]
    return sorted(out, key=repr)


def main(a, b):
    status = 0
    for table in ("places", "names", "admin1", "meta", "lexicon", "land"):
        ra, rb = rows(a, table), rows(b, table)
        if ra == rb:
            print(f"same: {table} ({len(ra):,} rows)")
        else:
            sa, sb = set(ra), set(rb)
            print(f"DIFFERENT: {table}: {len(sa - sb):,} rows only in {a}, {len(sb - sa):,} only in {b}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
