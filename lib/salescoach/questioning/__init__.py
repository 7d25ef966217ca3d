"""M5 Questioning styles and discovering needs 提问的方式.

``classifier`` (``classify_question``: the five question types in English and
Chinese), ``analysis`` (the balance of a questioning conversation, pure
functions), ``drill`` (the scripted customers of the questioning drill),
``contact_sheet`` (the KA business-needs contact sheet 大客户业务需求联系单:
records, checks, CSV), ``plots``, ``widgets`` (the drill and the contact-sheet
form) and ``checks`` (the exercise's self-checks).  Notebooks import::

    from salescoach.questioning import analysis, classifier, widgets
"""
