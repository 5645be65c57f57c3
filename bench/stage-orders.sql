-- The reference for case (a): DuckDB's own read_csv into a fresh file-backed database.
--
-- A bare read_csv('orders.csv') does not load the dirty file: the ragged lines make the sniffer
-- settle on a single VARCHAR column (1,010,333 one-column rows at 1M). So the reference gets the
-- two options it needs to produce the same table as the Sluice node: the sample pipeline's column
-- types (keep in sync with raw_orders in resources/samples/orders/pipeline.json) and
-- ignore_errors, the cheapest way past the bad lines. What Sluice does on top (keeping the
-- rejected lines, counting, describing, progress) is the overhead this case measures.

-- step: read_csv
CREATE TABLE raw_orders AS
SELECT * FROM read_csv(
  '{{orders}}',
  types = {'order_date': 'VARCHAR', 'customer_email': 'VARCHAR', 'amount': 'DECIMAL(12,2)'},
  ignore_errors = true
);
