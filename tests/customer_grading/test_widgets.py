"""customer_grading.widgets is the lessons' one namespace of M3 explorers: every public name of the explorer
modules, and the names the lessons call."""
from salescoach.customer_grading import abc_explorers, data_card_viewer, pyramid_explorers, widgets


def test_widgets_exports_every_explorer():
    for module in (abc_explorers, pyramid_explorers, data_card_viewer):
        assert set(module.__all__) <= set(widgets.__all__), sorted(set(module.__all__) - set(widgets.__all__))
        for name in module.__all__:
            assert getattr(widgets, name) is getattr(module, name)


def test_the_names_the_lessons_call_are_there():
    # course/modules/m3_customer_grading/0*.ipynb: widgets.<name>(...)
    for name in ("pareto_explorer", "work_platform_explorer", "value_score_explorer", "tier_explorer",
                 "data_card_viewer"):
        assert callable(getattr(widgets, name))
