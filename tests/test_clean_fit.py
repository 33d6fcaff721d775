"""The headline scorer as a linear model (docs/clean.md, "Fitting the headline weights"): features() gives raw
values, the score is their dot product with W, and bench/fit_header.py fits W (conditional logit, L2 towards the hand
weights)."""

import numpy as np

from bench import fit_header
from pipeline import pageheader
from pipeline.article import clean

BODY = ("The two delegations met again on Friday after a pause of several months, and both sides said that the tone "
        "of the meeting had been constructive and calm.\n\nA second round is planned for next month in the same "
        "border village, officials said after the talks.\n")
PAGE = ("Home | News | World | Contact\nPress Statement\nTalks resume at the border\nBy Jane Doe\nMarch 3, 2018\n\n"
        + BODY + "\nRelated\nAnother story about the border talks\n")


def candidates(page):
    with fit_header.recording() as seen:
        art = clean(page, kind="text")
    return art, [(text, f) for _, text, f in seen[-1]]


def test_features_are_raw_values_and_the_score_is_their_dot_product():
    art, cands = candidates(PAGE)
    assert art.title == "Talks resume at the border"
    assert {"Press Statement", "Talks resume at the border"} <= {t for t, _ in cands}
    for text, f in cands:
        assert set(f) <= set(pageheader.W)
        for k, v in f.items():
            if k == "overlap":
                assert 0 <= v <= 1
            elif k == "below_dist":
                assert v == int(v) and v >= 1
            else:
                assert v == 1.0, (text, k, v)
        assert pageheader.score(f) == sum(pageheader.W[k] * v for k, v in f.items())
    best = max(cands, key=lambda c: pageheader.score(c[1]))
    assert best[0] == art.title and pageheader.score(best[1]) >= pageheader.THRESHOLD


def page(feats, right, null_right=False):
    return fit_header.Page("p", "x", "g", (), [""] * len(feats), list(range(len(feats))), feats, right, null_right,
                           True)


def test_the_fit_moves_a_weight_the_pages_call_for_and_keeps_the_others_at_their_hand_value():
    # Ten pages where the right line is the HTML title's ("hint") and stands further up than a wrong one.
    pages = [page([{"hint": 1.0, "pos_above_2": 1.0}, {"pos_above_0": 1.0, "len_ok": 1.0, "hint_part": 1.0}], [0])
             for _ in range(10)]
    names, prior = fit_header.keys(), fit_header.hand()
    w = fit_header.fit(pages, lam=1.0)
    col = {k: j for j, k in enumerate(names)}
    assert w[col["hint"]] > prior[col["hint"]]
    assert w[col["caps"]] == prior[col["caps"]]  # no page has the feature: its hand value
    assert all(fit_header.proxy_right(p, w) for p in pages)
    strong = fit_header.fit(pages, lam=1e6)  # a strong pull: the hand weights, but for the features without one
    held = [col[k] for k in names if k not in fit_header.FREE]
    assert np.allclose(strong[held], prior[held], atol=1e-3)


def test_a_feature_with_no_hand_weight_is_set_by_the_pages_whatever_the_pull_on_the_others():
    # Ten pages where the right line is the longer one (len_6), though further from the text.
    pages = [page([{"pos_above_1": 1.0, "len_ok": 1.0, "len_6": 1.0}, {"pos_above_0": 1.0, "len_ok": 1.0}], [0])
             for _ in range(10)]
    names = fit_header.keys()
    col = {k: j for j, k in enumerate(names)}
    w = fit_header.fit(pages, lam=1e6)
    assert "len_6" in fit_header.FREE and w[col["len_6"]] > 0.5
    assert abs(w[col["pos_above_0"]] - fit_header.hand()[col["pos_above_0"]]) < 1e-3


def test_no_headline_is_an_option_with_the_threshold_as_its_score():
    pages = [page([{"pos_above_0": 1.0, "len_1": 1.0}], [], null_right=True) for _ in range(5)]
    w = fit_header.fit(pages, lam=1.0)
    assert w[-1] > fit_header.hand()[-1]  # THRESHOLD rises: those lines are no headline
    assert fit_header.choose(pages[0], w) is None


def test_sites_group_by_registrable_domain():
    assert fit_header.site_group("press.un.org") == fit_header.site_group("www.un.org") == "un.org"
    assert fit_header.site_group("news.zum.com") == "zum.com"
    assert fit_header.site_group("english.yonhapnews.co.kr") == fit_header.site_group("chinese.yonhapnews.co.kr")
    assert fit_header.site_group("tushygear.com (mirror of taiwan.cn)") == "tushygear.com"


def test_the_confidence_is_high_where_wide_margins_were_right_and_low_where_close_ones_were_wrong():
    # Real-page folders only: on ten pages the winner leads by a wide margin and is right, on ten it leads by a
    # hair and is wrong; fifty easy made-up cases must not change the fit.
    sure = [fit_header.Page("p", "dev", "g", (), ["", ""], [0, 1],
                            [{"pos_above_0": 1.0, "len_ok": 1.0, "hint": 1.0}, {"pos_above_3": 1.0}], [0], False, True)
            for _ in range(10)]
    close = [fit_header.Page("p", "dev", "g", (), ["", ""], [0, 1],
                             [{"pos_above_0": 1.0, "len_ok": 1.0}, {"pos_above_1": 1.0, "len_ok": 1.0}], [1], False,
                             True) for _ in range(10)]
    w = fit_header.hand()
    a, b, c = fit_header.calibrate(sure + close, w)
    col = {k: j for j, k in enumerate(fit_header.keys())}
    thr = w[col["THRESHOLD"]]
    conf = lambda best, second: 1 / (1 + np.exp(-(a + b * (best - thr) + c * (best - second))))  # noqa: E731
    assert conf(6.8, 0.8) > 0.8 and conf(2.8, 2.4) < 0.2
    made_up = [fit_header.Page("p", "clean_cases", "g", (), [""], [0], [{"pos_above_0": 1.0, "len_ok": 1.0}], [0],
                               False, True)]
    assert np.allclose(fit_header.calibrate(sure + close + made_up * 50, w), (a, b, c))


def test_length_over_six_words_is_no_feature_of_an_unspaced_chinese_or_japanese_line():
    ja = "ニュース\n\n東京で大雨、交通に乱れる都心の道路\n\n" + "気象庁によると、東京都心では土曜日の午後から激しい雨が降り、各地で道路の冠水が発生した。\n"
    ko = "뉴스\n\n한반도에서 곧 전쟁이 터질 것인가?\n\n" + "북한 김정은 국무위원장은 지난해 12월 조선노동당 전원회의에서 남한을 적대국으로 규정했다고 조선중앙통신이 보도했다.\n"
    (_, ja_cands), (_, ko_cands) = candidates(ja), candidates(ko)
    ja_f = dict(ja_cands)["東京で大雨、交通に乱れる都心の道路"]
    ko_f = dict(ko_cands)["한반도에서 곧 전쟁이 터질 것인가?"]
    assert "len_ok" in ja_f and "len_6" not in ja_f
    assert "len_6" in ko_f  # (five Korean words: a headline's length; Hanja in Korean text counts as Korean)
