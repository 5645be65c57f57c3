"""Case (c): the sample pipeline's work as an analyst would script it in pandas.

Usage: python3 bench/pandas_orders.py '{"data": "<folder>", "output": "<folder>"}'

Reads the three inputs (customers.csv as GBK, which pandas decodes itself), cleans, filters and
de-duplicates the orders, finds the new customers and the sales leads, and writes the same CSV
files as the pipeline. Prints its own timing as one JSON line, like the bench's Node tasks.

Not written: the Parquet file (pandas needs pyarrow or fastparquet for it, and Debian's
python3-pandas installs neither) and the DuckDB table (pandas has no DuckDB writer without the
duckdb package). Both are small (100k rows at 1M orders), so pandas is spared little.
"""

import json
import os
import sys
import time

import numpy as np
import pandas as pd

ORDER_COLUMNS = [
    "order_id", "order_date", "customer_email", "customer_name", "phone", "city",
    "product_sku", "order_type", "quantity", "amount", "status",
]


def timed(steps, name, started):
    now = time.perf_counter()
    steps.append({"name": name, "ms": round((now - started) * 1000)})
    return now


def write_rejects(raw, orders_path, output):
    """Lines with too few fields: pandas pads them with NaN instead of failing, so a missing last
    column marks them. Their text is rebuilt from the fields that were read."""
    ragged = raw["status"].isna()
    rejects = raw.loc[ragged, ORDER_COLUMNS].astype("string")
    content = rejects.apply(lambda row: ",".join(v for v in row if v is not pd.NA), axis=1)
    pd.DataFrame({
        "file": orders_path,
        "line": rejects.index + 2,
        "reason": "MISSING COLUMNS: too few columns",
        "content": content,
    }).to_csv(os.path.join(output, "rejected_order_lines.csv"), index=False)
    return raw.loc[~ragged]


def clean_orders(orders):
    orders = orders.copy()
    email = orders["customer_email"].str.strip().str.lower()
    orders["customer_email"] = email.mask(email == "")
    orders["customer_name"] = orders["customer_name"].str.strip()
    orders["order_type"] = orders["order_type"].str.strip().str.lower()
    orders["order_date"] = pd.to_datetime(orders["order_date"], format="%Y-%m-%d", errors="coerce")
    orders["quantity"] = orders["quantity"].astype("int64")
    orders["phone"] = orders["phone"].astype("int64")
    return orders


def new_customers(orders, customers):
    known = set(customers["email"].str.strip().str.lower())
    fresh = orders[~orders["customer_email"].isin(known)].sort_values("order_id")
    grouped = fresh.groupby("customer_email", sort=False).agg(
        name=("customer_name", "first"),
        city=("city", "first"),
        first_order_date=("order_date", "min"),
        orders=("order_id", "size"),
    )
    result = grouped.reset_index().rename(columns={"customer_email": "email"})
    return result.sort_values(["first_order_date", "email"])[
        ["email", "name", "city", "first_order_date", "orders"]
    ]


def sales_leads(orders, leads):
    kind = orders["order_type"]
    per = pd.DataFrame({
        "customer_email": orders["customer_email"],
        "sample_orders": (kind == "sample").astype("int64"),
        "sample_amount": orders["amount"].where(kind == "sample", 0.0),
        "proof_count": (kind == "proof").astype("int64"),
        "bulk_quantity": orders["quantity"].where(kind == "bulk", 0),
        "bulk_amount": orders["amount"].where(kind == "bulk", 0.0),
    }).groupby("customer_email", sort=True).sum().reset_index()
    stage = leads["stage"].str.upper()
    open_leads = leads[stage.isin(["OPEN", "COLD"])].assign(
        customer_email=lambda frame: frame["customer_email"].str.strip().str.lower(),
        lead_stage=lambda frame: frame["stage"].str.upper(),
    )
    latest = open_leads.sort_values("updated_at").groupby("customer_email").tail(1)
    result = per.merge(latest[["customer_email", "lead_id", "lead_stage"]], on="customer_email", how="left")
    result["lead_strategy"] = np.where(result["lead_id"].isna(), "new", "reuse")
    return result.sort_values("customer_email")


def main():
    args = json.loads(sys.argv[1])
    data, output = args["data"], args["output"]
    os.makedirs(output, exist_ok=True)
    orders_path = os.path.join(data, "orders.csv")
    steps = []
    started = time.perf_counter()
    step = started

    raw = pd.read_csv(orders_path, dtype={"order_date": str, "customer_email": str})
    step = timed(steps, "read orders", step)
    orders = write_rejects(raw, orders_path, output)
    step = timed(steps, "write rejects", step)
    orders = clean_orders(orders)
    orders = orders[orders["customer_email"].notna() & orders["order_date"].notna()]
    orders = orders.drop_duplicates(subset=["order_id"], keep="first")
    step = timed(steps, "clean, filter, dedupe", step)
    orders.to_csv(os.path.join(output, "cleaned_orders.csv"), index=False, date_format="%Y-%m-%d")
    step = timed(steps, "write cleaned orders", step)

    customers = pd.read_csv(os.path.join(data, "customers.csv"), encoding="gbk")
    new_customers(orders, customers).to_csv(
        os.path.join(output, "new_customers.csv"), index=False, date_format="%Y-%m-%d"
    )
    step = timed(steps, "new customers + write", step)

    leads = pd.read_csv(os.path.join(data, "leads.csv"))
    sales_leads(orders, leads).to_csv(os.path.join(output, "sales_leads.csv"), index=False)
    step = timed(steps, "sales leads + write", step)

    total = round((time.perf_counter() - started) * 1000)
    notes = ["no Parquet (no pyarrow/fastparquet), no DuckDB table (no duckdb module)"]
    print(json.dumps({"ms": total, "steps": steps, "notes": notes}))


if __name__ == "__main__":
    main()
