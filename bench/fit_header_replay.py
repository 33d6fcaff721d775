"""Replay a split's first run with fitted weights (docs/clean.md, "Fitting the headline weights"): with the code as it
stood then, would weights fitted on the pages that existed then have chosen the split's headlines better than the hand
weights did? The snapshot's features() (weighted values then) are recorded and turned back into raw values.

    git archive a49ad06 pipeline bench | tar -x -C /tmp/a49ad06     # final3's first run (df12e93: final2's)
    cd /tmp && PYTHONPATH=/tmp/a49ad06 python /path/to/this/bench/fit_header_replay.py /tmp/a49ad06 final3

Candidate-level counts (no trafilatura fallback for an HTML page's title); numpy only.
"""
import importlib.util, json, sys
from pathlib import Path
import numpy as np
snap = Path(sys.argv[1]); target = sys.argv[2]
spec = importlib.util.spec_from_file_location("fh", Path(__file__).resolve().parent / "fit_header.py")
fh = importlib.util.module_from_spec(spec); sys.modules["fh"] = fh; spec.loader.exec_module(fh)
from bench import clean_eval
from pipeline import pageheader as ph
from pipeline.article import first_words
W = ph.W
assert str(Path(ph.__file__)).startswith(str(snap)), ph.__file__
POS = list(W["pos_above"])
LEN = {W[k]: k for k in ("len_ok", "len_3", "len_2", "len_1", "len_long", "len_huge")}
END = {W[k]: k for k in ("ends_ellipsis", "ends_period", "ends_colon")}
REP = {W["repeat_far"]: "repeat_far", W["repeat_near"]: "repeat_near"}
names = [f"pos_above_{k}" for k in range(len(POS))] + ["pos_far", "below", "below_dist"] + [
    k for k in W if k not in ("pos_above", "pos_far", "below")] + ["fragment"] * ("fragment" not in W) + [fh.NULL]
names = list(dict.fromkeys(names))
prior = {f"pos_above_{k}": v for k, v in enumerate(POS)}
prior.update({k: v for k, v in W.items() if k != "pos_above"})
prior.update(below_dist=-0.4, fragment=prior.get("fragment", -1.0), **{fh.NULL: ph.THRESHOLD})
w0 = np.array([prior[k] for k in names])

def raw(f):
    out = {}
    for k, v in f.items():
        if k == "position":
            if v in POS: out[f"pos_above_{POS.index(v)}"] = 1.0
            elif abs(v - W["pos_far"]) < 1e-9: out["pos_far"] = 1.0
            else:
                out["below"] = 1.0; d = round((W["below"] - v) / 0.4)
                if d: out["below_dist"] = float(d)
        elif k == "length": out[LEN[v]] = 1.0
        elif k == "ending": out[END[v]] = 1.0
        elif k == "repeat": out[REP[v]] = 1.0
        elif k == "overlap": out[k] = v / W["overlap"]
        elif k == "meta_just_above": 
            if v: out[k] = 1.0
        elif k == "fragment": out[k] = 1.0
        else: out[k] = v / W[k] if W[k] else 1.0
    # check: the dot product gives back the old score
    s = sum(prior[k] * x for k, x in out.items())
    assert abs(s - sum(f.values())) < 1e-9, (f, out)
    return out

rec = []
of = ph.features
def spy(items, i, *a, **kw):
    r = of(items, i, *a, **kw); rec.append((i, items[i].text, r)); return r
ph.features = spy
oc = ph.choose_title
calls = []
def cspy(*a, **kw):
    rec.clear(); r = oc(*a, **kw); calls.append(list(rec)); return r
ph.choose_title = cspy
folders = [snap / "bench" / "clean_corpus" / s for s in ("dev", "test", "final", "final2", "final3")] + sorted(
    p for p in (snap / "bench").glob("clean_*") if (p / "gold").is_dir())
pages = []
for folder in folders:
    if not folder.is_dir(): continue
    for case in clean_eval.cases(folder):
        gold = json.loads(case[2].read_text())
        calls.clear()
        s = clean_eval.score(*case)
        if gold.get("no_article"): continue
        cands = calls[-1] if calls else []
        want = clean_eval.norm(gold["title"])
        right = [k for k, (_, t, _) in enumerate(cands) if clean_eval.norm(t) == want]
        null_right = clean_eval.norm(first_words(gold["paragraphs"][0])) == want
        p = fh.Page(case[0], folder.name, "", case, [t for _, t, _ in cands], [i for i, _, _ in cands],
                    [raw(f) for _, _, f in cands], right, null_right, True)
        p.real = s.meta["title"]
        pages.append(p)
train = [p for p in pages if p.folder != target and not (p.folder.startswith("final") and p.folder > target)]
test = [p for p in pages if p.folder == target]
print(snap.name, "train", len(train), "pages from", sorted({p.folder for p in train}), "; test", target, len(test))
print(f"  {target} real first-run title accuracy {np.mean([p.real for p in test]):.3f}; "
      f"proxy with hand weights {np.mean([fh.proxy_right(p, w0, names) for p in test]):.3f}; "
      f"gold title among the candidates (or first words): {np.mean([bool(p.right or p.null_right) for p in test]):.3f}")
for lam in (0.3, 1.0, 3.0, 10.0):
    w = fh.fit(train, lam, names, w0)
    print(f"  lam={lam}: fitted on the pages then: train {np.mean([fh.proxy_right(p, w, names) for p in train]):.3f}, "
          f"{target} {np.mean([fh.proxy_right(p, w, names) for p in test]):.3f}")
# oracle: best any weights could do on the target when fitted on it
w = fh.fit(test, 0.01, names, w0)
print(f"  fitted on {target} itself (lam=0.01): {np.mean([fh.proxy_right(p, w, names) for p in test]):.3f}")
for p in test:
    if not fh.proxy_right(p, w0, names):
        print("   hand miss:", p.name, "| gold among candidates:", bool(p.right or p.null_right))
w = fh.fit(train, 0.3, names, w0)
for p in test:
    a, b = fh.proxy_right(p, w0, names), fh.proxy_right(p, w, names)
    if a != b or a != p.real: print("   diff:", p.name, "hand proxy", a, "fit0.3 proxy", b, "real first run", p.real)
