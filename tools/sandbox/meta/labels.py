"""Ad labels: an account's labels (made by name, listed), the labels an object is created with, and the
`*bylabels` edges that list the objects carrying given labels [ref 1.5, 1.7; Marketing API ad-label reference]."""

from __future__ import annotations

from typing import Any

from tools.sandbox.meta.base import REQUEST_ACCOUNT, GraphError, MetaSimBase, invalid

LABEL_NAME_MAX = 100  # the sandbox's cap [unconfirmed: Graph documents none we found]
LABELS_PER_OBJECT = 50  # "Maximum number of ad labels specified in the spec": 50
BY_LABELS = {"campaignsbylabels": "campaign", "adsetsbylabels": "adset", "adsbylabels": "ad",
             "adcreativesbylabels": "adcreative"}  # fmt: skip


class MetaLabels(MetaSimBase):
    """The adlabels edge of an ad account and the label checks of object creates."""

    def _adlabels(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        account = REQUEST_ACCOUNT.get()
        if method == "GET":
            rows = [r for r in self.store.list("adlabel", account_id=account) if not r.get("deleted")]
            fields = [f for f in str(params.get("fields") or "id,name").split(",") if f]
            return self._page([{f: r[f] for f in fields if f in r} | {"id": r["id"]} for r in rows], params)
        if method != "POST":
            raise GraphError(100, f"(#100) Unsupported {method.lower()} request on adlabels", subcode=33)
        name = str(params.get("name") or "").strip()
        if not name:
            raise invalid("name", "param name is required")
        if len(name) > LABEL_NAME_MAX:
            raise invalid("name", f"param name must be at most {LABEL_NAME_MAX} characters")
        if self._label_named(name) is not None:
            # [unconfirmed] Graph's answer to a second label of one name; the sandbox refuses it like this.
            raise invalid("name", f"An ad label named {name!r} already exists in this ad account")
        label = {"id": self._new_id(), "name": name, "account_id": account,
                 "created_time": self.faults.now().strftime("%Y-%m-%dT%H:%M:%S+0000")}  # fmt: skip
        self.store.put("adlabel", label)
        return {"id": label["id"]}

    def _label_named(self, name: str) -> dict[str, Any] | None:
        for row in self.store.list("adlabel", account_id=REQUEST_ACCOUNT.get()):
            if row.get("name") == name and not row.get("deleted"):
                return row
        return None

    def _object_labels(self, params: dict[str, Any]) -> list[dict[str, str]]:
        """An object create's `adlabels`: each {"id"} of a label of this account, or {"name"} (made if new)."""
        specs = self._json(params, "adlabels", [])
        if not isinstance(specs, list) or any(not isinstance(s, dict) for s in specs):
            raise invalid("adlabels", 'param adlabels must be a JSON list of {"id": ...} or {"name": ...}')
        if len(specs) > LABELS_PER_OBJECT:
            raise invalid("adlabels", f"at most {LABELS_PER_OBJECT} ad labels per object")
        out: list[dict[str, str]] = []
        for spec in specs:
            if spec.get("id"):
                found = self.store.get("adlabel", str(spec["id"]))
                if found is None or found[1].get("account_id") != REQUEST_ACCOUNT.get():
                    raise invalid("adlabels", f"Ad label {spec['id']} does not exist in this ad account")
                out.append({"id": found[1]["id"], "name": found[1]["name"]})
            elif spec.get("name"):
                label = self._label_named(str(spec["name"]))
                if label is None:
                    self._adlabels("POST", {"name": spec["name"]})
                    label = self._label_named(str(spec["name"]))
                assert label is not None
                out.append({"id": label["id"], "name": label["name"]})
            else:
                raise invalid("adlabels", "each ad label needs an id or a name")
        return out

    def _by_labels(self, edge: str, params: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        """The account's objects of the edge's kind carrying the labels (operator ALL, or ANY), not deleted."""
        ids = self._json(params, "ad_label_ids")
        if not isinstance(ids, list) or not ids:
            raise invalid("ad_label_ids", "param ad_label_ids is required (a JSON list of ad label ids)")
        operator = str(params.get("operator") or "ALL").upper()
        if operator not in ("ALL", "ANY"):
            raise invalid("operator", "param operator must be one of {ALL, ANY}")
        wanted = {str(i) for i in ids}
        kind = BY_LABELS[edge]
        out = []
        for row in self.store.list(kind, account_id=REQUEST_ACCOUNT.get()):
            if row.get("status") == "DELETED":
                continue
            carried = {str(label["id"]) for label in row.get("adlabels") or []}
            if (wanted <= carried) if operator == "ALL" else (wanted & carried):
                out.append((kind, row))
        return out
