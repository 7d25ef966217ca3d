"""M2 Service levels 服务客户的层次: the four-level service ladder, complaints, and service graded by class.

``analysis`` (the ladder: basic 基本服务, satisfactory 满意的服务, value-added 超值服务, moving
令客户感动的服务; service plans per customer class with their cost and the value they keep, under a
budget; the three effects of grading service: breadth, length, depth), ``walkthrough`` (branching
complaint-handling scenarios read from YAML, checked with errors naming file and line), ``plots``,
``widgets`` and ``checks`` (the exercise's self-checks).  Notebooks import::

    from salescoach.service_levels import analysis, walkthrough, plots, widgets
"""
