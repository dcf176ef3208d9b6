"""English texts of the reports (on request; the regulation's terms stay in Indonesian)."""

STRINGS = {
    "unit.title": "REPORT ON THE\nPUBLIC SATISFACTION SURVEY",
    "scope.title": "AGGREGATE REPORT ON THE\nPUBLIC SATISFACTION SURVEY",
    "subtitle": "Survei Kepuasan Masyarakat (SKM) under PermenPANRB No. 14 of 2017",
    "cover.period": "Period {period}\n{start} to {end}",
    "cover.prepared": "Prepared with SUARA on {date}",
    "cover.source": "Data source: {server} (summary figures)",
    "cover.index": "IKM {konversi} · grade {grade} ({label})",
    "no_data": "No responses in this period yet.",
    "page": "Page {page} of {nb}",
    "foot": "SKM · PermenPANRB 14/2017 · SUARA",
    "to": "to",
    "respondents": "respondents",
    "not_answered": "Not answered",
    "total": "Total",
    "approval": "Approval Sheet",
    "approval.title": "COMMUNITY SATISFACTION SURVEY REPORT",
    "approval.period": "Period: {period}",
    "approval.approved": "Acknowledged and approved by,",
    "approval.place": "{place}, {date}",
    "approval.nip": "NIP. {nip}",
    "approval.position": "Head of {unit}",
    "foreword": "Foreword",
    "foreword.default": (
        "This report presents the results of the Community Satisfaction Survey of {unit} for "
        "{period}.\n\n"
        "The survey follows Regulation of the Minister of Administrative and Bureaucratic "
        "Reform No. 14 of 2017 and measures how satisfied citizens are with the services we "
        "deliver. Its results guide our evaluation and our plan to improve the service.\n\n"
        "We thank every citizen who took the time to answer, and everyone who helped carry out "
        "the survey. Constructive criticism and suggestions are always welcome."),
    "contents": "Contents",
    "contents.update": ("The table of contents is updated when the document opens "
                        "(or press F9)."),
    "s1": "I. Introduction",
    "s1.background": "1.1 Background and legal basis",
    "s1.background.text": (
        "Public service providers must assess their performance regularly by measuring public "
        "satisfaction at least once a year, and publish the results. The public satisfaction "
        "survey (Survei Kepuasan Masyarakat, SKM) collects the opinion of service users on "
        "nine service elements; the result is the public satisfaction index (Indeks Kepuasan "
        "Masyarakat, IKM). Legal basis:"),
    "s1.basis": (
        "Law No. 25 of 2009 on Public Services;",
        "Government Regulation No. 96 of 2012 on the Implementation of Law No. 25 of 2009 on "
        "Public Services;",
        "Regulation of the Minister of State Apparatus Empowerment and Bureaucratic Reform "
        "(PermenPANRB) No. 14 of 2017 on Guidelines for Public Satisfaction Surveys of Public "
        "Service Units."),
    "s1.purpose": "1.2 Purpose",
    "s1.purpose.items": (
        "measure public satisfaction with the services of {unit} in {period};",
        "find the strongest service elements and those most in need of improvement;",
        "ground the follow-up plan for improving the service;",
        "fulfil the duty to publish the survey results."),
    "s2": "II. Method",
    "s2.sample": "2.1 Population and sample",
    "s2.population": ("The population is the service users of {unit} in this period: "
                      "{population} services according to the unit's records."),
    "s2.no_population": ("The number of services (population) of this period has not been "
                         "recorded, so the sample size is computed for a very large population."),
    "s2.required": ("The minimum sample by Krejcie and Morgan (95 % confidence, 5 % error) is "
                    "{required} respondents. {achieved} respondents answered, so the sample is "
                    "{verdict}; the margin of error achieved is ± {moe}. No response is ever "
                    "discarded to fit a sample size."),
    "adequate": "adequate",
    "inadequate": "not yet adequate",
    "s2.time": "2.2 Dates and channels",
    "s2.dates": ("Survey period {start} to {end}. The first response arrived {first}, the "
                 "last {last} ({zone}). Respondents per channel:"),
    "s2.no_dates": "Survey period {start} to {end}. No response has arrived yet.",
    "s2.invitations": ("Survey invitations (single-use codes or links): {issued} invitations "
                       "were issued in this period, {answered} of them answered, an answer rate "
                       "of {rate} (95 % Wilson confidence interval: {low} – {high}). "
                       "Invitations are counted by the date they were issued, whenever "
                       "answered."),
    "s2.no_invitations": ("No survey invitations (single-use codes or links) were used in this "
                          "period; every respondent answered through an open channel or staff "
                          "entry."),
    "channel": "Channel",
    "share": "Share",
    "s2.instrument": "2.3 Questionnaire",
    "s2.instrument.text": (
        "The questionnaire covers the nine service elements of PermenPANRB 14/2017, each with "
        "four answers scored 1 (worst) to 4 (best). Answers are stored and computed by element "
        "code, not by question order. Appendix A lists the questions."),
    "s2.processing": "2.4 Data processing",
    "s2.formulas": (
        "NRR per element = sum of the element's answers ÷ number of answers",
        "Weighted NRR per element = NRR × weight (nilai penimbang)",
        "IKM = Σ weighted NRR (scale 1–4); IKM konversi = IKM × 25 (scale 25–100)"),
    "s2.weight": ("Weight used: {weight}. NRR is never rounded before it is multiplied; only "
                  "printed figures are rounded (half up), and the grade is read from IKM "
                  "konversi rounded to two decimals."),
    "weight.exact": "exactly 1/9, unrounded (the formula of PermenPANRB 14/2017)",
    "weight.w0111": "0.111 (rounded to three decimals as in the example of PermenPANRB 14/2017)",
    "weight.w011": "0.11 (rounded to two decimals as in many older spreadsheets)",
    "s2.unit_method": (
        "All responses of the unit in this period count together. Responses flagged as "
        "suspicious still count unless staff excluded them after review. The 95 % confidence "
        "interval is a t-interval over each respondent's mean score."),
    "s2.grades": "The grade (mutu pelayanan) follows the table of PermenPANRB 14/2017:",
    "grade.headings": ("Interval (1–4)", "Konversi (25–100)", "Grade", "Performance"),
    "s3": "III. Results",
    "s3.profile": "3.1 Respondents",
    "gender": "Gender",
    "age": "Age (years)",
    "education": "Education",
    "occupation": "Occupation",
    "s3.elements": "3.2 Figures per element",
    "element.headings": ("Code", "Element", "NRR", "Weighted NRR", "Konversi", "Grade"),
    "ikm.row": "IKM (Σ weighted NRR)",
    "konversi.row": "IKM konversi (IKM × 25)",
    "s3.index": "3.3 Public satisfaction index",
    "index.text": ("The IKM of {name} in {period} is {konversi} (scale 25–100; {ikm} on the "
                   "scale 1–4), grade {grade} ({label}), from {n} respondents."),
    "ci.text": ("95 % confidence interval: {low} – {high} (± {margin}): with 95 % confidence "
                "the true value lies in this range."),
    "s4": "IV. Analysis",
    "s4.rank": "4.1 Strongest and weakest elements",
    "strongest": "Strongest elements",
    "weakest": "Weakest elements",
    "element.item": "{code} {name}: NRR {nrr}, konversi {konversi}, grade {grade}",
    "s4.answers": "4.2 Answers per element",
    "s4.answers.text": "Share of answers 1 to 4 per element; Appendix B gives the counts.",
    "s4.trend": "4.3 Change across periods",
    "trend.headings": ("Period", "Respondents", "IKM", "Grade", "95 % CI", "Change"),
    "trend.none": "No other period with data to compare with yet.",
    "s4.rtl": "4.4 Follow-up plan",
    "rtl.text": (
        "SUARA has no follow-up plan recorded for this period yet. The table lists the three "
        "weakest elements as priorities; fill in the action, the date and who is responsible, "
        "and publish it together with the survey results."),
    "rtl.headings": ("Element", "Follow-up action", "When", "Responsible"),
    "rtl.recorded": "The follow-up plan the unit recorded for this period's result:",
    "rtl.recorded.headings": ("Element", "Follow-up action", "Due", "Responsible", "Status"),
    "rtl.previous": ("Follow-up of the {period} result: the NRR of each element acted on, "
                     "before and after, with the change on the converted scale (Welch's "
                     "t-test, significant when p < 0.05)."),
    "rtl.previous.headings": ("Element", "Action", "Status", "NRR before", "NRR after",
                              "Change", "Test"),
    "s5": "V. Conclusions",
    "appendix.a": "Appendix A. Questionnaire",
    "appendix.a.profile": ("Respondent data asked (all optional): gender, age, education, main "
                           "occupation and the service received, plus suggestions."),
    "appendix.b": "Appendix B. Answers per element",
    "answers.headings": ("Element", "1", "2", "3", "4", "Total", "NRR"),
    "c.index": ("The IKM of {name} in {period} is {konversi}, grade {grade} ({label}), from "
                "{n} respondents."),
    "c.ci": "With 95 % confidence the true value lies between {low} and {high}.",
    "c.sample": ("The number of respondents is {verdict} by Krejcie and Morgan "
                 "(at least {required})."),
    "c.strongest": "The strongest element is {element} (NRR {nrr}, grade {grade}).",
    "c.weakest": ("The weakest element is {element} (NRR {nrr}, grade {grade}); together with "
                  "{others} it is the priority of the follow-up plan."),
    "c.below_b": "{count} elements are graded below B: {elements}.",
    "c.all_b": "Every element is graded B or better.",
    "and": "and",
    "c.change_sig": ("Compared with {previous}, the IKM went {direction} by {difference} "
                     "points; the change is statistically significant (Welch's t-test, p = {p})."),
    "c.change_ns": ("Compared with {previous}, the IKM went {direction} by {difference} points, "
                    "but the change is not statistically significant (Welch's t-test, p = {p})."),
    "c.change_flat": "The IKM equals that of {previous}.",
    "provisional": "provisional",
    "provisional.text": ("Provisional figure: only {n} respondents, fewer than the minimum of "
                         "{minimum}. No service grade is given and changes are not tested."),
    "untested": "not tested",
    "c.change_untested": ("Compared with {previous}, the IKM went {direction} by {difference} "
                          "points; the change is not tested because one of the periods is "
                          "provisional or its answers do not vary."),
    "s2.interval": (
        "The 95 % confidence interval is computed from each respondent's mean answer with a "
        "t-interval to which one pseudo-respondent at 1 and one at 4 (the ends of the scale) "
        "are added, after Agresti & Coull (1998) and Agresti & Caffo (2000), with the critical "
        "t value at n − 1 degrees of freedom and the bounds clipped to 25–100. It stays valid "
        "for small samples: identical answers do not give a zero-width interval. For large "
        "samples it approaches the ordinary t-interval. A figure from fewer than {minimum} "
        "respondents is provisional: no service grade and no test of change. This is only the "
        "floor for showing a grade; sample adequacy is still judged with Krejcie & Morgan."),
    "up": "up",
    "down": "down",
    "c.trend": ("Over the last {count} {kind}s the IKM tends {direction} by {slope} points per "
                "{kind} (Theil–Sen); the trend is {verdict} (Kendall τ = {tau}, p = {p})."),
    "significant": "significant",
    "not_significant": "not significant",
    "c.no_data": "No responses in this period yet, so no IKM can be computed.",
    "kind.semester": "semester",
    "kind.quarter": "quarter",
    "kind.month": "month",
    "kind.year": "year",
    "scope.s1": "1. Summary",
    "scope.summary": ("The IKM of {name} in {period} is {konversi} (grade {grade}, {label}), "
                      "from {n} respondents in {units} service units."),
    "scope.method": "Aggregation method: {method}",
    "method.pooled": (
        "pooled respondents: the formula of PermenPANRB 14/2017 applied to all respondents of "
        "all units at once, so units with more respondents weigh more. The confidence interval "
        "is computed over each respondent's mean score."),
    "method.mean_of_units": (
        "mean of unit indices: each unit's IKM is computed first and then averaged, so every "
        "unit counts once whatever its number of respondents. The confidence interval reflects "
        "the spread between units."),
    "method.exact": ("Both are computed from sums and counts of answers, never from rounded "
                     "unit figures."),
    "scope.s2": "2. Ranking of {level}",
    "rank.headings": ("#", "Name", "IKM", "Grade", "95 % CI", "Respondents", "Units"),
    "scope.s3": "3. Grades of the service units",
    "grades.text": "Number of service units per grade (each unit with its own IKM):",
    "grade.count.headings": ("Grade", "Performance", "Units", "Share"),
    "scope.s4": "4. Figures per element",
    "scope.s5": "5. IKM of the {level} per semester",
    "scope.s6": "6. Trend",
    "scope.s7": "7. Method",
    "scope.units": "Appendix. Ranking of all service units",
    "scope.units_cut": ("Only {shown} of {total} units are printed; download the XLSX export "
                        "for the full list."),
    "level.province": "provinces",
    "level.regency": "regencies and cities",
    "level.unit": "service units",
    "level.agency": "agencies",
    "level.none": "overall",
    "s2.basis": ("Basis of the figures: {stored} answers stored in this period, {counted} "
                 "counted in the index and {excluded} left out after review. Flagged answers "
                 "stay counted until a level above the unit approves a proposal to exclude "
                 "them."),
    "basis.item": "Item",
    "basis.stored": "Answers stored",
    "basis.counted": "Counted in the index",
    "basis.staff": "Entered by staff (paper and interview)",
    "basis.kiosk": "From enrolled kiosks ({kiosks} kiosks)",
    "basis.flagged": "Flagged, still counted ({waiting} awaiting a decision)",
    "basis.excluded": "Left out of the index",
    "basis.reason": "  reason: {reason}",
    "basis.proposals": "Exclusion proposals awaiting approval",
    "reason.duplicate": "duplicate",
    "reason.test_entry": "test entry",
    "reason.out_of_service": "outside the service",
    "reason.scripted": "scripted/automated",
    "reason.none": "no reason recorded",
}
