import { mkdirSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import iconv from 'iconv-lite'
import { chain, createSandbox, type EngineSandbox } from '../test-support'

let sandbox: EngineSandbox
beforeEach(async () => {
  sandbox = await createSandbox()
})
afterEach(() => sandbox.close())

const csvNode = (config: Record<string, unknown>) => ({ id: 'src', kind: 'source.csv', config })

describe('CSV source', () => {
  it('stages rows with detected types and reports rows out', async () => {
    const path = sandbox.write('a.csv', 'id,name,amount\n1,Ann,10.5\n2,Bob,20\n')
    const { result } = await sandbox.run(chain(csvNode({ path })))
    expect(result.status).toBe('succeeded')
    expect(result.nodes[0]?.rowsOut).toBe(2)
    const rows = await sandbox.rows('SELECT * FROM "src__out" ORDER BY id')
    expect(rows).toEqual([
      { id: 1, name: 'Ann', amount: 10.5 },
      { id: 2, name: 'Bob', amount: 20 },
    ])
  })

  it('routes ragged lines to rejects with file, line and reason, and counts them', async () => {
    const path = sandbox.write('ragged.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8\n')
    const { result } = await sandbox.run(chain(csvNode({ path })))
    expect(result.status).toBe('succeeded')
    expect(result.nodes[0]).toMatchObject({ rowsOut: 2, rowsRejected: 1 })
    const rejects = await sandbox.rows('SELECT file, line, reason, content FROM "src__rejects"')
    expect(rejects).toHaveLength(1)
    expect(rejects[0]).toMatchObject({ file: path, line: 3, content: '4,5' })
    expect(rejects[0]?.reason).toBe('MISSING COLUMNS: Expected Number of Columns: 3 Found: 2')
    expect(result.nodes[0]?.warnings.join()).toMatch(
      /1 line\(s\) of .*ragged\.csv could not be read/,
    )
  })

  it('reads GBK, UTF-16LE and UTF-8-with-BOM files, detecting the encoding', async () => {
    const text = 'id,城市\n1,北京\n2,上海\n'
    const files = {
      gbk: sandbox.write('gbk.csv', iconv.encode(text, 'gbk')),
      utf16: sandbox.write('u16.csv', iconv.encode(text, 'utf-16le', { addBOM: true })),
      bom: sandbox.write(
        'bom.csv',
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
      ),
    }
    for (const path of Object.values(files)) {
      const { result } = await sandbox.run(chain(csvNode({ path })))
      expect(result.errors).toEqual([])
      expect(await sandbox.rows('SELECT * FROM "src__out" ORDER BY id')).toEqual([
        { id: 1, 城市: '北京' },
        { id: 2, 城市: '上海' },
      ])
    }
  })

  it('applies null tokens and type overrides, and keeps leading zeros', async () => {
    const path = sandbox.write('n.csv', 'code,qty,note\n007,1,NA\n010,-,x\n')
    await sandbox.run(
      chain(csvNode({ path, nullTokens: ['NA', '-'], columnTypes: { qty: 'DOUBLE' } })),
    )
    expect(await sandbox.rows('SELECT code, qty, typeof(qty) AS t, note FROM "src__out"')).toEqual([
      { code: '007', qty: 1, t: 'DOUBLE', note: null },
      { code: '010', qty: null, t: 'DOUBLE', note: 'x' },
    ])
  })

  it('reads every column as text in all-text mode', async () => {
    const path = sandbox.write('t.csv', 'id,amount\n1,2.50\n')
    await sandbox.run(chain(csvNode({ path, allText: true })))
    expect(await sandbox.rows('SELECT * FROM "src__out"')).toEqual([{ id: '1', amount: '2.50' }])
  })

  it('honours delimiter, quote, escape and skip rows', async () => {
    const path = sandbox.write('s.txt', "exported by tool\nid|text\n1|'a|b'\n2|'it\\'s'\n")
    await sandbox.run(
      chain(csvNode({ path, delimiter: '|', quote: "'", escape: '\\', skipRows: 1 })),
    )
    expect(await sandbox.rows('SELECT * FROM "src__out" ORDER BY id')).toEqual([
      { id: 1, text: 'a|b' },
      { id: 2, text: "it's" },
    ])
  })

  it('says what blank and duplicate headers were renamed to', async () => {
    const path = sandbox.write('h.csv', 'id,name,name,\n1,a,b,c\n')
    const { result } = await sandbox.run(chain(csvNode({ path })))
    const warnings = result.nodes[0]?.warnings.join('\n') ?? ''
    expect(warnings).toMatch(
      /column 3 repeats the header "name" \(first in column 2\); it was renamed "name_1"/,
    )
    expect(warnings).toMatch(/column 4 has a blank header; it was named "column3"/)
  })

  it.each([
    ['missing file', null, /File not found: .*nope\.csv/, 'FILE_NOT_FOUND'],
    ['empty file', '', /empty\.csv is empty/, 'FILE_EMPTY'],
    [
      'header-only file',
      'a,b,c\n',
      /header-only\.csv has a header but no data rows/,
      'FILE_HEADER_ONLY',
    ],
    [
      'invalid UTF-8',
      Buffer.from([0x61, 0x0a, 0xff, 0xfe, 0x41, 0x0a]),
      /not valid UTF-8 \(first bad byte at offset 2\)/,
      'FILE_UNDECODABLE',
    ],
  ])('fails clearly on a %s, naming the file and node', async (label, content, message, code) => {
    const name =
      {
        'missing file': 'nope.csv',
        'empty file': 'empty.csv',
        'header-only file': 'header-only.csv',
      }[label] ?? 'bad.csv'
    const path =
      content === null ? `${sandbox.dir}/${name}` : sandbox.write(name, content as string | Buffer)
    const validEncoding = label === 'invalid UTF-8' ? { encoding: 'utf-8' } : {}
    const { result } = await sandbox.run(chain(csvNode({ path, ...validEncoding })))
    expect(result.status).toBe('failed')
    expect(result.errors[0]).toMatchObject({ code, nodeId: 'src' })
    expect(result.errors[0]?.message).toMatch(message)
  })

  it('fails when data lines read as zero rows instead of reporting an empty success', async () => {
    // Every data line has too few columns: DuckDB rejects them all and returns no rows, no error.
    const path = sandbox.write('zero.csv', 'a;b;c\n1\n2\n')
    const { result } = await sandbox.run(chain(csvNode({ path, delimiter: ';' })))
    expect(result.status).toBe('failed')
    expect(result.errors[0]).toMatchObject({ code: 'FILE_ZERO_ROWS', nodeId: 'src' })
    expect(result.errors[0]?.message).toMatch(/zero\.csv has 2 data lines but none could be read/)
  })
})

describe('CSV source line endings and null tokens', () => {
  it.each([
    [
      'records mixing CRLF and LF',
      'a,b\r\nc,d\ne,f\r\ng,h\n',
      [
        { a: 'c', b: 'd' },
        { a: 'e', b: 'f' },
        { a: 'g', b: 'h' },
      ],
    ],
    [
      'a quoted LF inside a CRLF file',
      'id,"Amount\n(EUR)"\r\n1,2\r\n',
      [{ id: '1', 'Amount\n(EUR)': '2' }],
    ],
    ['a quoted CRLF inside an LF file', 'a,b\n"x\r\ny",z\n', [{ a: 'x\r\ny', b: 'z' }]],
  ])('reads %s', async (_label, content, expected) => {
    const path = sandbox.write('endings.csv', content)
    const { result } = await sandbox.run(chain(csvNode({ path, allText: true })))
    expect(result.errors).toEqual([])
    expect(await sandbox.rows('SELECT * FROM "src__out"')).toEqual(expected)
  })

  it('keeps empty fields as empty text when the null-token list is cleared', async () => {
    const path = sandbox.write('e.csv', 'a,b\n1,\n2,NA\n')
    await sandbox.run(chain(csvNode({ path, allText: true, nullTokens: [] })))
    expect(await sandbox.rows('SELECT * FROM "src__out"')).toEqual([
      { a: '1', b: '' },
      { a: '2', b: 'NA' },
    ])
  })

  it('previews a column named __proto__ like any other', async () => {
    const path = sandbox.write('p.csv', 'id,__proto__\n1,2\n')
    const preview = await sandbox.preview(chain(csvNode({ path })), 'src')
    expect(preview.rows[0]?.['__proto__']).toBe(2)
    expect(JSON.stringify(preview.rows)).toBe('[{"id":1,"__proto__":2}]')
  })
})

describe('CSV source given something that is not a readable file', () => {
  it('says a folder is not a file, naming it', async () => {
    const folder = `${sandbox.dir}/exports`
    mkdirSync(folder)
    const { result } = await sandbox.run(chain(csvNode({ path: folder })))
    expect(result.errors[0]).toMatchObject({ code: 'FILE_UNREADABLE', nodeId: 'src' })
    expect(result.errors[0]?.message).toBe(`Cannot read ${folder}: it is a folder.`)
  })

  it('says a CSV whose layout cannot be detected needs its delimiter and quote', async () => {
    // A binary file with no line structure at all.
    const path = sandbox.write(
      'image.csv',
      Buffer.from(Array.from({ length: 4000 }, (_, i) => ((i * 37) % 251) + 1)),
    )
    const { result } = await sandbox.run(chain(csvNode({ path, encoding: 'latin1' })))
    expect(result.status).toBe('failed')
    expect(result.errors[0]?.nodeId).toBe('src')
    expect(result.errors[0]?.message).toContain(path)
  })
})
