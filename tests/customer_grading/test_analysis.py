"""customer_grading.analysis is the module's one public namespace: every public name of ranking, value and visits."""
from salescoach.customer_grading import analysis, ranking, value, visits


def test_analysis_exports_every_public_function_and_constant():
    for module in (ranking, value, visits):
        public = {name for name, obj in vars(module).items()
                  if not name.startswith("_") and getattr(obj, "__module__", module.__name__) == module.__name__
                  and (callable(obj) or name.isupper())}
        assert public <= set(analysis.__all__), sorted(public - set(analysis.__all__))
        for name in public:
            assert getattr(analysis, name) is getattr(module, name)
