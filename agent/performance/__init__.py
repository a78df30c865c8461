"""Performance reports people read: per campaign, spend against budget and pacing, results and cost per result per
platform against the previous period, best and worst ad, exceptions worth acting on; digests; the spend chart.

The package follows the report's way from rows to readers, each module importing only those above it:
- `model`: the values (money beside its currency, never summed across currencies);
- `pacing`: expected spend by now from the schedule and budget period, and the state (on track, ahead, behind);
- `build`: the report of one campaign from its stored rows (pure);
- `questions`: telling "how is it doing?" (English, Arabic) from an instruction, and which campaign it names;
- `texts`, `render`: the words in English and Arabic, numbers and money formatted for the reader;
- `contract`: the `adly report --json` object (also the HTTP API's campaign performance);
- `chart`: the spend chart (tools/charts draws it);
- `digest`: which digests are due, the period each covers, their content;
- `read`: reports from the store.
"""
