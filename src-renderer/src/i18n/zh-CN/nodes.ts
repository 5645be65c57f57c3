import type { nodes as en } from '../en/nodes'

export const nodes: typeof en = {
  families: {
    source: '数据源',
    transform: '转换',
    quality: '质量',
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
  source_excel: {
    title: 'Excel 工作簿',
    help: '读取 .xlsx 工作簿中的一个工作表（或全部工作表），跳过表格上方的说明自动找到表头行。列类型取自单元格；公式取其保存的结果。',
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
  'check_not-null': {
    title: '检查：非空',
    help: '任一列为 NULL 的行不通过。',
  },
  check_unique: {
    title: '检查：唯一',
    help: '键（一列或多列）重复的每一行都不通过。',
  },
  'check_accepted-values': {
    title: '检查：允许值',
    help: '值不在列表中的行不通过。',
  },
  check_range: {
    title: '检查：范围',
    help: '数字、日期或时间戳超出 [最小值, 最大值] 的行不通过。',
  },
  check_pattern: {
    title: '检查：格式',
    help: '文本不匹配正则表达式或预设格式（邮箱、手机号、URL、ISO 日期、邮编）的行不通过。',
  },
  check_length: {
    title: '检查：长度',
    help: '文本长度过短或过长的行不通过。',
  },
  check_referential: {
    title: '检查：引用完整性',
    help: '键在第二个输入中找不到的行不通过，例如账户不存在的交易。',
  },
  'check_row-count': {
    title: '检查：行数',
    help: '行数超出范围，或与上次成功运行相比变化超过百分比时不通过。',
  },
  check_freshness: {
    title: '检查：新鲜度',
    help: '某列最新的日期或时间戳早于 N 小时前时不通过。',
  },
  check_outliers: {
    title: '检查：异常值',
    help: '远离其余值（z 分数或 IQR）的值不通过，可按组计算。',
  },
  'check_schema-drift': {
    title: '检查：结构漂移',
    help: '自上次成功运行以来有列被新增、删除或改变类型时不通过。',
  },
  check_sql: {
    title: '检查：SQL 断言',
    help: 'SQL 条件不成立的行不通过；聚合条件不成立时整个检查不通过。',
  },
  quality_validate: {
    title: '校验（规则集）',
    help: '以尽可能少的数据扫描应用多条规则，类似 Great Expectations 的规则集；违反多条规则的行只进入 `fail` 一次，并附上所有原因。规则可从 YAML 导入、导出为 YAML。',
  },
  quality_gate: {
    title: '质量闸门',
    help: '输入原样传出；但当上游质量分低于下限或指定规则未通过（警告、失败或阻止）时，下游所有推送都会停止，运行以“被阻止”结束。',
  },
  sink_csv: {
    title: '写入 CSV',
    help: '写入 UTF-8 CSV 文件。默认转义类似公式的单元格，使 Excel 将其显示为文本。',
  },
  sink_parquet: {
    title: '写入 Parquet',
    help: '写入 Parquet 文件，保留列类型。',
  },
  sink_excel: {
    title: '写入 Excel',
    help: '写入 .xlsx 文件：表头行加样式并冻结、带筛选，数字和日期格式取自列类型。文本绝不会被当作公式执行。超出 Excel 行数上限的行接着写到编号的工作表上。',
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
