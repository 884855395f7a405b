"""The differential fuzzer (fuzz_engine.py) on a bounded, seeded slice.

Each case calls one public callable of rnet and of the stdlib `socket` with
the same typed and hostile arguments on equivalent fresh sockets, in
subprocess batches (a crash or a hang is blamed on its case), and compares
the outcomes. PyO3's wrong-arity wording is counted apart (kept on purpose).

The full campaign (>= 100,000 cases, about two minutes) prints its statistics:

    python tests/fuzz_engine.py --cases 100000 --seed 1

and one case reproduces with ``--seed S --case N``.
"""

import io

import fuzz_engine

SLICE = 5000
SEED = 20261201


def test_fuzz_slice_matches_the_stdlib():
    stats, records = fuzz_engine.run_campaign(SEED, SLICE, batch=2500)
    out = io.StringIO()
    pct = fuzz_engine.report(stats, records, out=out)
    summary = out.getvalue()
    assert stats["cases"] == SLICE, summary
    assert stats["crash"] == 0 and stats["hang"] == 0, summary
    assert stats["guard"] == 0, summary  # nothing left loopback or asked DNS
    assert pct >= 99.9, summary
    # The arity wording is PyO3's, on TypeErrors only; it cannot hide others.
    assert all(r["std"].startswith("('raise', 'TypeError'") for r in records if r["cat"] == "arity")


def test_fuzz_cases_are_reproducible():
    # A case depends on its seed and number alone, not on what ran before.
    assert fuzz_engine.describe(fuzz_engine.make_case(SEED, 77)) == fuzz_engine.describe(
        fuzz_engine.make_case(SEED, 77)
    )
    assert fuzz_engine.make_case(SEED, 77)["fn"] == fuzz_engine.make_case(SEED, 77)["fn"]
