"""Strategic merge and JSON 6902 patches, with the place of every value they set."""
import pytest

from guardrails.kubernetes.patches import PatchError, json6902, strategic_merge


def test_lists_merge_by_their_key_and_a_service_s_ports_by_port():
    base = {"spec": {"ports": [{"port": 80, "targetPort": 80}, {"port": 443}],
                     "containers": [{"name": "a", "ports": [{"containerPort": 80, "name": "http"}]}]}}
    places = {"spec.ports[1]": ("base.yaml", 5), "spec.ports[1].port": ("base.yaml", 5)}
    patch = {"spec": {"ports": [{"port": 80, "targetPort": 8080}],
                      "containers": [{"name": "a", "ports": [{"containerPort": 80, "protocol": "TCP"}]},
                                     {"name": "b", "image": "b"}]}}
    merged = strategic_merge(base, places, patch, {"spec.containers[1].image": ("patch.yaml", 9)})
    assert merged["spec"]["ports"] == [{"port": 80, "targetPort": 8080}, {"port": 443}]
    assert merged["spec"]["containers"][0]["ports"] == [{"containerPort": 80, "name": "http", "protocol": "TCP"}]
    assert merged["spec"]["containers"][1] == {"name": "b", "image": "b"}
    assert places["spec.ports[1].port"] == ("base.yaml", 5)  # kept where it was written
    assert places["spec.containers[1].image"] == ("patch.yaml", 9)


def test_directives_null_delete_and_replace():
    base = {"metadata": {"labels": {"a": "1", "b": "2"}}, "spec": {"volumes": [{"name": "x"}, {"name": "y"}],
                                                               "template": {"k": 1, "j": 2}}}
    patch = {"metadata": {"labels": {"a": None}}, "spec": {"volumes": [{"name": "x", "$patch": "delete"}],
                                                           "template": {"$patch": "replace", "k": 3}}}
    merged = strategic_merge(base, {}, patch, {})
    assert merged == {"metadata": {"labels": {"b": "2"}}, "spec": {"volumes": [{"name": "y"}], "template": {"k": 3}}}


def test_json6902_operations_and_their_places():
    obj = {"spec": {"replicas": 1, "template": {"spec": {"containers": [{"name": "a"}]}}}}
    places = {}
    done = json6902(obj, places, [
        {"op": "replace", "path": "/spec/replicas", "value": 3},
        {"op": "add", "path": "/spec/template/spec/containers/-", "value": {"name": "b"}},
        {"op": "copy", "from": "/spec/replicas", "path": "/spec/minReady"},
        {"op": "remove", "path": "/spec/template/spec/containers/0"},
        {"op": "test", "path": "/spec/replicas", "value": 3},
    ], "kustomization.yaml", 12)
    assert done["spec"]["replicas"] == 3 and done["spec"]["minReady"] == 3
    assert done["spec"]["template"]["spec"]["containers"] == [{"name": "b"}]
    assert places["spec.replicas"] == ("kustomization.yaml", 12)
    assert obj["spec"]["replicas"] == 1  # the input is never changed


@pytest.mark.parametrize("operation, why", [
    ({"op": "replace", "path": "/spec/nothing", "value": 1}, "/spec/nothing does not exist"),
    ({"op": "test", "path": "/spec/replicas", "value": 9}, "does not hold the value"),
    ({"op": "add", "path": "/spec/list/7", "value": 1}, "past the end"),
    ({"op": "jump", "path": "/spec"}, "unknown operation"),
    ({"op": "add", "path": "spec", "value": 1}, "not a JSON pointer"),
])
def test_json6902_operations_that_do_not_apply(operation, why):
    with pytest.raises(PatchError, match=why):
        json6902({"spec": {"replicas": 1, "list": []}}, {}, [operation], "k.yaml", 1)
