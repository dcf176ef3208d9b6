"""The sentences of a report's conclusions (Kesimpulan), written from its figures.

Wording follows DESIGN §5: a change is called significant only when p < 0.05, and every
sentence carries the number it rests on.
"""

from typing import Optional

from analysis.report.data import Element, TrendData, UnitReport
from analysis.report.texts import grade_letter, grade_name, integer, join, label_title, number, text


def ranked(elements) -> list[Element]:
    """Return elements from weakest to strongest (ties: in code order)."""
    return sorted(elements, key=lambda e: (e.nrr, e.code))


def element_name(element: Element) -> str:
    """Return 'U3 Waktu Penyelesaian'."""
    return f"{element.code} {element.name}"


def unit_conclusions(report: UnitReport) -> list[str]:
    """Return the conclusions of a unit report, one sentence (or two) per finding."""
    locale, index = report.locale, report.index
    if index is None:
        return [text(locale, "c.no_data")]
    period = label_title(report.period.label, report.period.name, locale)
    sentences = [text(locale, "c.index", name=report.unit, period=period,
                      konversi=number(index.konversi, locale),
                      grade=grade_letter(index.grade, locale),
                      label=grade_name(index.grade, locale),
                      n=integer(index.respondents, locale))]
    if index.provisional:
        sentences.append(text(locale, "provisional.text", n=integer(index.respondents, locale),
                              minimum=integer(index.min_respondents, locale)))
    if index.ci is not None:
        sentences[0] += " " + text(locale, "c.ci", low=number(index.ci.low, locale),
                                   high=number(index.ci.high, locale))
    if report.sample is not None:
        verdict = text(locale, "adequate" if report.sample.adequate else "inadequate")
        sentences.append(text(locale, "c.sample", verdict=verdict,
                              required=integer(report.sample.required, locale)))
    sentences += element_sentences(report.elements, locale)
    sentences += trend_sentences(report.trend, locale)
    return sentences


def element_sentences(elements, locale: str) -> list[str]:
    """Say which elements are strongest, weakest and graded below B."""
    if not elements:
        return []
    order = ranked(elements)
    strongest, weakest = order[-1], order[0]
    sentences = [text(locale, "c.strongest", element=element_name(strongest),
                      nrr=number(strongest.nrr, locale), grade=strongest.grade or "–"),
                 text(locale, "c.weakest", element=element_name(weakest),
                      nrr=number(weakest.nrr, locale), grade=weakest.grade or "–",
                      others=join([element_name(e) for e in order[1:3]], locale))]
    below = [e for e in order if e.grade in ("C", "D")]
    if below:
        sentences.append(text(locale, "c.below_b", count=len(below),
                              elements=join([f"{element_name(e)} ({e.grade})" for e in below],
                                            locale)))
    else:
        sentences.append(text(locale, "c.all_b"))
    return sentences


def change_sentence(trend: TrendData, locale: str) -> Optional[str]:
    """Compare the last period with the previous one that has data, with Welch's test."""
    rows = [row for row in trend.rows if row.konversi is not None]
    if len(rows) < 2 or rows[-1].change is None:
        return None
    change, previous = rows[-1].change, rows[-2]
    name = label_title(previous.label, previous.name, locale)
    difference = number(abs(change.difference), locale)
    if difference == number(0, locale):
        return text(locale, "c.change_flat", previous=name)
    key = ("c.change_untested" if change.p_value is None
           else "c.change_sig" if change.significant else "c.change_ns")
    p_value = "–" if change.p_value is None else number(change.p_value, locale, 3)
    return text(locale, key, previous=name, difference=difference, p=p_value,
                direction=text(locale, "up" if change.difference > 0 else "down"))


def trend_sentences(trend: TrendData, locale: str) -> list[str]:
    """Describe the last change and, over three or more periods, the Theil-Sen trend."""
    sentences = []
    change = change_sentence(trend, locale)
    if change:
        sentences.append(change)
    fit = trend.trend
    points = sum(1 for row in trend.rows if row.konversi is not None)
    if fit.p_value is not None and fit.slope is not None and points >= 3:
        kind = text(locale, f"kind.{trend.period_kind}") if trend.period_kind != "custom" \
            else text(locale, "kind.semester")
        sentences.append(text(
            locale, "c.trend", count=points, kind=kind,
            direction=text(locale, "up" if fit.slope >= 0 else "down"),
            slope=number(abs(fit.slope), locale),
            verdict=text(locale, "significant" if fit.significant else "not_significant"),
            tau=number(fit.tau, locale), p=number(fit.p_value, locale, 3)))
    return sentences
