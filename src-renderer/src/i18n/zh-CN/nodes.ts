import type { nodes as en } from '../en/nodes'

export const nodes: typeof en = {
  families: {
    source: '数据源',
    transform: '转换',
    sink: '输出',
  },
  source_csv: {
    title: 'CSV / TSV 文件',
    help: '读取分隔符文本文件。未设置时自动检测分隔符、类型和编码。无法解析的行连同行号和原因进入 rejects 输出。',
  },
  source_json: {
    title: 'JSON / NDJSON 文件',
    help: '读取对象组成的 JSON 数组或换行分隔的 JSON；嵌套值保留为结构体/列表。',
  },
  source_parquet: {
    title: 'Parquet 文件',
    help: '按文件中存储的结构读取 Parquet 文件。',
  },
  source_folder: {
    title: '文件夹中的文件',
    help: '将匹配某个模式的所有文件读入一张表，按列名对齐各列，并添加一列记录每行来自哪个文件。',
  },
  transform_select: {
    title: '选择 / 重命名 / 排列列',
    help: '按列出的顺序保留列出的列，并重命名给了新名称的列。',
  },
  transform_filter: {
    title: '筛选行',
    help: "保留 SQL 条件为真的行，例如 `amount > 0 AND status <> 'void'`。",
  },
  transform_derive: {
    title: '派生列',
    help: '添加（或替换）由输入列上的 SQL 表达式计算出的列。',
  },
  transform_cast: {
    title: '更改类型',
    help: '将列转换为其他类型；无法转换的值会使运行失败或变为 NULL。',
  },
  transform_fill: {
    title: '填充缺失值',
    help: '用常量、上一个非空值、列平均值或众数替换 NULL。',
  },
  transform_dedupe: {
    title: '删除重复项',
    help: '每个键（或每组完全相同的行）只保留一行，按排序列取第一行或最后一行。',
  },
  transform_sort: {
    title: '排序',
    help: '按一列或多列对行排序。',
  },
  transform_limit: {
    title: '限制 / 抽样',
    help: '保留前 N 行，或可重现的 N 行或 P% 随机样本。',
  },
  transform_sql: {
    title: '自定义 SQL',
    help:
      '对输入执行 DuckDB SELECT，每个输入以其端口名作为表名读取，例如 ' +
      '`SELECT * FROM orders o JOIN customers c USING (customer_id)`。',
  },
  sink_csv: {
    title: '写入 CSV',
    help: '写入 UTF-8 CSV 文件。默认转义类似公式的单元格，使 Excel 将其显示为文本。',
  },
  sink_parquet: {
    title: '写入 Parquet',
    help: '写入 Parquet 文件，保留列类型。',
  },
  sink_json: {
    title: '写入 JSON',
    help: '写入换行分隔的 JSON（每行一个对象）或一个 JSON 数组。',
  },
  sink_duckdb: {
    title: '写入 DuckDB 表',
    help: '将表写入 DuckDB 数据库文件：替换、追加或新建（已存在则失败）。写入是原子的：失败时表保持原样。',
  },
  source_database: {
    title: '数据库表或查询',
    help:
      '从 PostgreSQL、MySQL/MariaDB、SQLite 或 DuckDB 连接读取一张表或一个查询。' +
      '所选列和 WHERE 条件在服务器上执行。增量模式只读取上次成功运行之后的行。',
  },
  sink_database: {
    title: '推送到数据库',
    help:
      '写入 PostgreSQL、MySQL/MariaDB、SQLite 或 DuckDB 表：新建、追加、清空后插入、替换、' +
      '按键更新插入或镜像。数据先批量装入临时表，再在一个事务中合并，因此失败或取消时目标表保持原样。' +
      '试运行只报告将要发生的变化，不做任何修改。',
  },
}
