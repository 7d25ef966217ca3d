"""Customer types and reception 客户类型与接待 (module M4).

The fourteen reception types of the key-account chapter (类型接待标准, SYLLABUS M4, S1 p.117) and how to receive
each; business versus individual customers and the link to M3's value types (S3).  Parts:

* :mod:`.catalogue` - the fourteen types: names in English and Chinese, the signs, the approach, what to avoid;
* :mod:`.rules` and :mod:`.analysis` - recorded traits -> a reception type and approach per customer (a rule
  table kept as data in ``reception_rules.csv``), combined with the M3 value type and its strategy;
* :mod:`.vignettes` - the "recognise the type" drill's short customer stories (``vignettes.yml``);
* :mod:`.roleplay` - scripted customers who react to the approach picked each turn (``roleplays/*.yml``,
  format in ``roleplays/README.md``);
* :mod:`.widgets`, :mod:`.plots`, :mod:`.checks` - the lessons' controls, the charts, the exercise's self-checks.
"""
