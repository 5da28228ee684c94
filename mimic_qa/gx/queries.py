"""The text of a ``UnexpectedRowsExpectation`` query: a kind's violation query with its checked table bound to
GX's ``{batch}`` and every other table to mimic-code's schemas.

Each query selects only a constant, never a column value, so even a ``COMPLETE`` result format cannot copy
patient data into a validation result. The text is a portable subset that PostgreSQL, BigQuery and DuckDB all
accept (unquoted names). GX substitutes the batch with ``str.format``, so literal braces are doubled.
"""

from __future__ import annotations

from sqlglot import exp

from mimic_qa.spec import Spec

_BATCH = "mimic_qa_gx_batch"


def unexpected_rows_query(spec: Spec, query: exp.Select) -> str:
    """The query as GX runs it, on whichever engine holds the tables: the table of its FROM clause (the checked
    table) is GX's batch, the others are named in mimic-code's schemas. GX gives a batch without a join its own
    alias, so only queries with a join alias their batch."""
    query = query.copy()
    found = query.find(exp.From)
    assert found is not None, "a violation query reads its checked table FROM"
    batch = found.this
    batch.replace(exp.to_table(_BATCH).as_(batch.alias) if batch.alias else exp.to_table(_BATCH))

    def bind(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Identifier):
            return exp.to_identifier(node.name)  # unquoted: portable across the dialects
        if isinstance(node, exp.Table) and not node.args.get("db") and node.name in spec.tables:
            bound = exp.table_(node.name, db=spec.schema_of(spec.tables[node.name]))
            return bound.as_(node.alias) if node.alias else bound
        return node

    text = query.transform(bind).sql(dialect="postgres")
    return text.replace("{", "{{").replace("}", "}}").replace(_BATCH, "{batch}")
