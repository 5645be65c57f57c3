import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import type { InputRelation } from '../../nodes/executor'
import type { WriteRequest } from '../database/contract'
import { describeWithServer } from '../database/test-servers'
import { postgresDriver } from './index'
import { writeToPostgres, type PushOptions } from './write'
import {
  failureOf,
  openDuckSandbox,
  recordedActivity,
  resolvedConnection,
  serverQuery,
  typesTableSql,
  type DuckSandbox,
} from './integration-fixtures'

type WriteOverrides = Partial<WriteRequest> & Pick<WriteRequest, 'table' | 'mode' | 'input'>

describeWithServer('postgres', 'PostgreSQL pushes in every mode', (server) => {
  let sandbox: DuckSandbox
  let orders: InputRelation
  const connection = resolvedConnection(server)
  const write = (overrides: WriteOverrides, options: Partial<PushOptions> = {}) =>
    writeToPostgres(
      {
        ...recordedActivity(),
        connection,
        schema: 'public',
        keys: [],
        createMissing: true,
        preSql: '',
        postSql: '',
        dryRun: false,
        duckdb: sandbox.duckdb,
        workDir: sandbox.workDir,
        ...overrides,
      },
      options,
    )
  /** Upsert and mirror run through each statement a server may need: MERGE, and before 15. */
  const strategies = [
    { merge: true, name: 'MERGE' },
    { merge: false, name: 'without MERGE, as before PostgreSQL 15' },
  ] as const
  const sql = <Row extends Record<string, unknown>>(text: string) => serverQuery<Row>(server, text)
  /** A fingerprint of a table's whole contents, to prove a failed push changed nothing. */
  const fingerprint = async (table: string) =>
    (
      await sql(`SELECT count(*)::int AS n, md5(string_agg(t::text, ',' ORDER BY t::text)) AS sum
                FROM ${table} t`)
    )[0]

  beforeAll(async () => {
    sandbox = await openDuckSandbox()
    orders = await sandbox.input(
      'orders',
      `SELECT i::INTEGER AS id, 'name ' || i AS name, (i * 1.25)::DECIMAL(10,2) AS amount,
         TIMESTAMP '2024-01-01' + to_seconds(i) AS at
       FROM range(1, 1001) t(i)`,
    )
  })
  afterAll(() => sandbox.close())
  beforeEach(async () => {
    await sql(`DROP SCHEMA IF EXISTS push CASCADE; CREATE SCHEMA push;
               DROP TABLE IF EXISTS public.push_log; CREATE TABLE public.push_log (note text)`)
  })

  it('round-trips every type through a read and a push that creates the table', async () => {
    await sql(typesTableSql('push.types_source', 'push.types_mood'))
    const activity = recordedActivity()
    await postgresDriver.read({
      ...activity,
      connection,
      source: { schema: 'push', table: 'types_source' },
      columns: [],
      where: '',
      incremental: null,
      duckdb: sandbox.duckdb,
      target: '"types_staged"',
      workDir: sandbox.workDir,
    })
    const input = await sandbox.input('types_input', 'SELECT * FROM types_staged')
    const outcome = await write({ schema: 'push', table: 'types_back', mode: 'create', input })
    expect(outcome).toMatchObject({ inserted: 4, updated: 0, deleted: 0 })
    expect(outcome.ddl[0]).toMatch(/^CREATE TABLE "push"\."types_back" \("id" integer, /)
    expect(outcome.written).toBe('postgres "test pg".push.types_back')
    // Every column compared by value; json by its jsonb value, arrays by their JSON text, and
    // char(3) as char(3), since casting it to text drops the padding the copy keeps.
    const differences = await sql(
      `SELECT a.id, b.id AS back FROM push.types_source a FULL JOIN push.types_back b USING (id)
       WHERE b.id IS NULL OR a.id IS NULL
         OR (a.i2, a.i4, a.i8, a.r, a.d, a.n) IS DISTINCT FROM (b.i2, b.i4, b.i8, b.r, b.d, b.n)
         OR a.nbig::text IS DISTINCT FROM b.nbig OR a.nfree IS DISTINCT FROM b.nfree
         OR (a.b, a.t, a.vc::text, a.ch) IS DISTINCT FROM (b.b, b.t, b.vc, b.ch::char(3))
         OR (a.dt, a.ts, a.tstz, a.tm, a.tmtz, a.iv) IS DISTINCT FROM (b.dt, b.ts, b.tstz, b.tm, b.tmtz, b.iv)
         OR a.js::jsonb IS DISTINCT FROM b.js OR a.jb IS DISTINCT FROM b.jb
         OR (a.u, a.by, a.mood::text, a.ip) IS DISTINCT FROM (b.u, b.by, b.mood, b.ip::inet)
         OR array_to_json(a.arr)::text IS DISTINCT FROM b.arr
         OR array_to_json(a.tarr)::text IS DISTINCT FROM b.tarr`,
    )
    expect(differences).toEqual([])
    const types = await sql<{ name: string; type: string }>(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
       WHERE attrelid = 'push.types_back'::regclass AND attnum > 0 ORDER BY attnum`,
    )
    expect(Object.fromEntries(types.map((row) => [row.name, row.type]))).toMatchObject({
      i8: 'bigint',
      n: 'numeric(38,10)',
      tstz: 'timestamp with time zone',
      tmtz: 'time with time zone',
      iv: 'interval',
      js: 'jsonb',
      u: 'uuid',
      by: 'bytea',
    })
  })

  it('create: makes the table, then refuses to overwrite it', async () => {
    const first = await write({ schema: 'push', table: 'created', mode: 'create', input: orders })
    expect(first).toMatchObject({ inserted: 1000, updated: 0, deleted: 0 })
    const before = await fingerprint('push.created')
    const error = await failureOf(
      write({ schema: 'push', table: 'created', mode: 'create', input: orders }),
    )
    expect(error.code).toBe('PUSH_FAILED')
    expect(error.message).toContain('already exists')
    expect(await fingerprint('push.created')).toEqual(before)
  })

  it('append: adds the rows on each run', async () => {
    for (const total of [1000, 2000]) {
      const outcome = await write({
        schema: 'push',
        table: 'appended',
        mode: 'append',
        input: orders,
      })
      expect(outcome).toMatchObject({ inserted: 1000, updated: 0, deleted: 0 })
      expect(await fingerprint('push.appended')).toMatchObject({ n: total })
    }
    const missing = await failureOf(
      write({
        schema: 'push',
        table: 'not_there',
        mode: 'append',
        input: orders,
        createMissing: false,
      }),
    )
    expect(missing.code).toBe('PUSH_FAILED')
    expect(missing.message).toContain('does not exist')
  })

  it('keeps text that looks like CSV or COPY markup, alone or beside other columns', async () => {
    const values = `['', NULL, '\\.', '\\N', 'NULL', ' spaced ', 'a,b', 'say "hi"', e'two\\nlines']`
    for (const [table, select] of [
      ['lone_text', `SELECT unnest(${values}) AS t`],
      ['text_and_id', `SELECT unnest(${values}) AS t, unnest(range(9)) AS id`],
    ] as const) {
      const input = await sandbox.input(table, select)
      const outcome = await write({ schema: 'push', table, mode: 'create', input })
      expect(outcome.inserted).toBe(9)
      const back = await sql<{ t: string | null }>(
        `SELECT t FROM push.${table} ORDER BY t COLLATE "C" NULLS LAST`,
      )
      expect(back.map((row) => row.t)).toEqual([
        '',
        ' spaced ',
        'NULL',
        '\\.',
        '\\N',
        'a,b',
        'say "hi"',
        'two\nlines',
        null,
      ])
    }
  })

  it('truncate: empties the table and inserts, counting what it removed', async () => {
    await sql(`CREATE TABLE push.truncated (id int, name text, amount numeric(10,2), at timestamp, note text DEFAULT 'x');
               INSERT INTO push.truncated (id) SELECT generate_series(1, 5)`)
    const first = await write({
      schema: 'push',
      table: 'truncated',
      mode: 'truncate',
      input: orders,
    })
    expect(first).toMatchObject({
      inserted: 1000,
      deleted: 5,
      ddl: ['TRUNCATE "push"."truncated"'],
    })
    const second = await write({
      schema: 'push',
      table: 'truncated',
      mode: 'truncate',
      input: orders,
    })
    expect(second).toMatchObject({ inserted: 1000, deleted: 1000 })
    expect(await sql('SELECT count(*)::int AS n, min(note) AS note FROM push.truncated')).toEqual([
      { n: 1000, note: 'x' },
    ])
  })

  it('replace: swaps in a new table that keeps indexes, names and the serial sequence', async () => {
    await sql(`CREATE TABLE push.replaced (serial_id serial, id int PRIMARY KEY, name text,
                 amount numeric(10,2), at timestamp);
               CREATE INDEX replaced_name ON push.replaced (name);
               INSERT INTO push.replaced (id, name) SELECT g, 'old' FROM generate_series(5000, 5009) g`)
    const first = await write({ schema: 'push', table: 'replaced', mode: 'replace', input: orders })
    expect(first).toMatchObject({ inserted: 1000, updated: 0, deleted: 10 })
    expect(first.ddl.some((ddl) => ddl.startsWith('DROP TABLE "push"."replaced"'))).toBe(true)
    const second = await write({
      schema: 'push',
      table: 'replaced',
      mode: 'replace',
      input: orders,
    })
    expect(second).toMatchObject({ inserted: 1000, deleted: 1000 })
    expect(
      await sql(`SELECT count(*)::int AS n, count(*) FILTER (WHERE name = 'old')::int AS old
                      FROM push.replaced`),
    ).toEqual([{ n: 1000, old: 0 }])
    const indexes = await sql<{ name: string }>(
      `SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'push' AND tablename = 'replaced'
       ORDER BY 1`,
    )
    expect(indexes.map((row) => row.name)).toEqual(['replaced_name', 'replaced_pkey'])
    // The serial column still draws from its sequence, now owned by the new table.
    await sql(`INSERT INTO push.replaced (id) VALUES (-1)`)
    expect(await sql(`SELECT serial_id > 0 AS drawn FROM push.replaced WHERE id = -1`)).toEqual([
      { drawn: true },
    ])
    expect(
      await sql(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename LIKE 'sluice_%'`),
    ).toEqual([{ n: 0 }])
  })

  for (const member of [false, true]) {
    const who = member ? 'a member of the owning role' : 'a superuser'
    it(`replace by ${who}: keeps the owner, table and column grants and the comment of the table`, async () => {
      await sql(`DO $$ BEGIN CREATE ROLE sluice_bi; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
               DO $$ BEGIN CREATE ROLE sluice_owner; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
               DO $$ BEGIN CREATE ROLE sluice_pusher LOGIN PASSWORD 'pusher secret';
                 EXCEPTION WHEN duplicate_object THEN NULL; END $$;
               GRANT sluice_owner TO sluice_pusher;
               GRANT USAGE, CREATE ON SCHEMA push TO sluice_owner, sluice_pusher;
               -- New tables of the pusher grant more than the old table did; the replacement must not.
               ALTER DEFAULT PRIVILEGES FOR ROLE sluice_pusher IN SCHEMA push
                 GRANT DELETE ON TABLES TO sluice_bi;
               CREATE TABLE push.granted (serial_id serial, id int PRIMARY KEY, name text,
                 amount numeric(10,2), at timestamp);
               ALTER TABLE push.granted OWNER TO sluice_owner;
               GRANT SELECT ON push.granted TO sluice_bi;
               GRANT REFERENCES ON push.granted TO PUBLIC;
               GRANT INSERT ON push.granted TO sluice_bi WITH GRANT OPTION;
               GRANT UPDATE (name) ON push.granted TO sluice_bi;
               REVOKE TRUNCATE ON push.granted FROM sluice_owner;
               COMMENT ON TABLE push.granted IS 'orders for the BI team; it''s shared'`)
      const access = () =>
        sql(`SELECT pg_get_userbyid(c.relowner) AS owner, obj_description(c.oid, 'pg_class') AS comment,
             (SELECT array_agg(a::text ORDER BY a::text) FROM unnest(c.relacl) a) AS acl,
             (SELECT array_agg(attname || ':' || attacl::text ORDER BY attname) FROM pg_attribute
              WHERE attrelid = c.oid AND attacl IS NOT NULL) AS columns,
             has_table_privilege('sluice_bi', c.oid, 'SELECT') AS bi_reads
           FROM pg_class c WHERE c.oid = 'push.granted'::regclass`)
      const before = await access()
      expect(before[0]).toMatchObject({ owner: 'sluice_owner', bi_reads: true })
      for (let run = 0; run < 2; run += 1) {
        const outcome = await write({
          schema: 'push',
          table: 'granted',
          mode: 'replace',
          input: orders,
          ...(member
            ? {
                connection: resolvedConnection(server, {
                  user: 'sluice_pusher',
                  password: 'pusher secret',
                }),
              }
            : {}),
        })
        expect(outcome.inserted).toBe(1000)
        expect(await access()).toEqual(before)
      }
      expect(
        await sql(`SELECT pg_get_userbyid(relowner) AS owner FROM pg_class
                      WHERE oid = 'push.granted_serial_id_seq'::regclass`),
      ).toEqual([{ owner: 'sluice_owner' }])
    })
  }

  it('replace: refuses a table whose triggers, security, publications or dependents it would lose, changing nothing', async () => {
    const cases = [
      {
        setup: `CREATE FUNCTION push.touch() RETURNS trigger LANGUAGE plpgsql AS
                  'BEGIN NEW.name := upper(NEW.name); RETURN NEW; END';
                CREATE TRIGGER audit BEFORE INSERT ON push.guarded FOR EACH ROW
                  EXECUTE FUNCTION push.touch()`,
        named: 'triggers audit',
      },
      {
        setup: `ALTER TABLE push.guarded ENABLE ROW LEVEL SECURITY;
                CREATE POLICY own_rows ON push.guarded USING (id > 0)`,
        named: 'row-level security (policies own_rows)',
      },
      { setup: `ALTER TABLE push.guarded FORCE ROW LEVEL SECURITY`, named: 'row-level security' },
      {
        setup: `CREATE RULE keep AS ON DELETE TO push.guarded DO INSTEAD NOTHING`,
        named: 'rules keep',
      },
      {
        setup: `CREATE TABLE push.guarded_child (extra text) INHERITS (push.guarded)`,
        named: 'inheritance with push.guarded_child',
      },
      {
        setup: `CREATE PUBLICATION sluice_guarded FOR TABLE push.guarded`,
        named: 'publication membership sluice_guarded',
      },
      {
        setup: `CREATE VIEW push.guarded_names AS SELECT name FROM push.guarded`,
        named: 'views that depend on it: push.guarded_names',
      },
      {
        setup: `CREATE TABLE push.lines (order_id int REFERENCES push.guarded (id))`,
        named: 'foreign keys lines_order_id_fkey (from push.lines)',
      },
    ]
    try {
      for (const { setup, named } of cases) {
        await sql(`DROP TABLE IF EXISTS push.guarded CASCADE; DROP TABLE IF EXISTS push.lines;
                   DROP PUBLICATION IF EXISTS sluice_guarded;
                   CREATE TABLE push.guarded (id int PRIMARY KEY, name text, amount numeric(10,2),
                     at timestamp);
                   INSERT INTO push.guarded VALUES (1, 'KEPT', 1, NULL), (2, 'ALSO', 2, NULL);
                   ${setup}`)
        const before = await fingerprint('push.guarded')
        const oid = await sql(`SELECT 'push.guarded'::regclass::oid AS oid`)
        const error = await failureOf(
          write({ schema: 'push', table: 'guarded', mode: 'replace', input: orders }),
        )
        expect(error.code).toBe('PUSH_FAILED')
        expect(error.message).toContain(named)
        expect(error.message).toContain('Use mode "truncate"')
        expect(error.message).toContain('Nothing was changed')
        expect(await fingerprint('push.guarded')).toEqual(before)
        // The very same table, so its trigger, policies and the rest are all still there.
        expect(await sql(`SELECT 'push.guarded'::regclass::oid AS oid`)).toEqual(oid)
      }
      const partitioned = await failureOf(
        (async () => {
          await sql(`CREATE TABLE push.parted (id int, name text, amount numeric(10,2), at timestamp)
                       PARTITION BY RANGE (id);
                     CREATE TABLE push.parted_low PARTITION OF push.parted FOR VALUES FROM (0) TO (5000)`)
          return write({ schema: 'push', table: 'parted', mode: 'replace', input: orders })
        })(),
      )
      expect(partitioned.message).toContain('partitioned table')
      const partition = await failureOf(
        write({ schema: 'push', table: 'parted_low', mode: 'replace', input: orders }),
      )
      expect(partition.message).toContain('its place as a partition of another table')
    } finally {
      await sql('DROP PUBLICATION IF EXISTS sluice_guarded')
    }
  })

  for (const [unique, { merge, name }] of [true, false].flatMap((unique) =>
    strategies.map((strategy) => [unique, strategy] as const),
  )) {
    const how = `${unique ? 'keys are the primary key' : 'no unique index on the keys'}, ${name}`
    it(`upsert (${how}): inserts new keys, updates changed rows, and a second run changes nothing`, async () => {
      await sql(`CREATE TABLE push.upserted (id int ${unique ? 'PRIMARY KEY' : ''}, name text,
                   amount numeric(10,2), at timestamp, kept text DEFAULT 'kept');
                 INSERT INTO push.upserted (id, name, amount, at)
                   SELECT g, 'name ' || g, g * 1.25, timestamp '2024-01-01' + g * interval '1 second'
                   FROM generate_series(1, 500) g;
                 UPDATE push.upserted SET name = 'stale' WHERE id <= 100;
                 UPDATE push.upserted SET amount = NULL WHERE id BETWEEN 101 AND 110`)
      const first = await write(
        {
          schema: 'push',
          table: 'upserted',
          mode: 'upsert',
          keys: ['id'],
          input: orders,
        },
        { merge },
      )
      expect(first).toMatchObject({ inserted: 500, updated: 110, deleted: 0 })
      const second = await write(
        {
          schema: 'push',
          table: 'upserted',
          mode: 'upsert',
          keys: ['id'],
          input: orders,
        },
        { merge },
      )
      expect(second).toMatchObject({ inserted: 0, updated: 0, deleted: 0 })
      expect(
        await sql(`SELECT count(*)::int AS n, count(*) FILTER (WHERE kept = 'kept')::int AS kept,
                          count(*) FILTER (WHERE name = 'stale')::int AS stale FROM push.upserted`),
      ).toEqual([{ n: 1000, kept: 1000, stale: 0 }])
    })
  }

  for (const { merge, name } of strategies) {
    it(`mirror (${name}): upserts and deletes rows whose keys left the input; a second run changes nothing`, async () => {
      await sql(`CREATE TABLE push.mirrored (id int PRIMARY KEY, name text, amount numeric(10,2), at timestamp);
               INSERT INTO push.mirrored SELECT g, 'name ' || g, g * 1.25,
                 timestamp '2024-01-01' + g * interval '1 second' FROM generate_series(1, 500) g;
               UPDATE push.mirrored SET name = 'stale' WHERE id <= 7;
               INSERT INTO push.mirrored (id) SELECT generate_series(2000, 2009)`)
      const first = await write(
        {
          schema: 'push',
          table: 'mirrored',
          mode: 'mirror',
          keys: ['id'],
          input: orders,
        },
        { merge },
      )
      expect(first).toMatchObject({ inserted: 500, updated: 7, deleted: 10 })
      const second = await write(
        {
          schema: 'push',
          table: 'mirrored',
          mode: 'mirror',
          keys: ['id'],
          input: orders,
        },
        { merge },
      )
      expect(second).toMatchObject({ inserted: 0, updated: 0, deleted: 0 })
      expect(await sql('SELECT count(*)::int AS n, max(id) AS top FROM push.mirrored')).toEqual([
        { n: 1000, top: 1000 },
      ])
    })
  }

  for (const { merge, name } of strategies) {
    it(`upsert of key columns only (${name}): inserts new keys and updates nothing`, async () => {
      await sql(`CREATE TABLE push.keys_only (id int PRIMARY KEY);
                 CREATE TABLE push.keys_loose (id int);
                 INSERT INTO push.keys_only SELECT generate_series(1, 600);
                 INSERT INTO push.keys_loose SELECT generate_series(1, 600)`)
      const ids = await sandbox.input('ids', 'SELECT id FROM orders')
      for (const table of ['keys_only', 'keys_loose']) {
        for (const inserted of [400, 0]) {
          const outcome = await write(
            { schema: 'push', table, mode: 'upsert', keys: ['id'], input: ids },
            { merge },
          )
          expect(outcome).toMatchObject({ inserted, updated: 0, deleted: 0 })
        }
        expect(await fingerprint(`push.${table}`)).toMatchObject({ n: 1000 })
      }
    })
  }

  it('upsert on a missing table creates it with the keys as its primary key', async () => {
    const first = await write({
      schema: 'push',
      table: 'fresh',
      mode: 'upsert',
      keys: ['id'],
      input: orders,
    })
    expect(first.ddl[0]).toContain('PRIMARY KEY ("id")')
    expect(first.inserted).toBe(1000)
    const second = await write({
      schema: 'push',
      table: 'fresh',
      mode: 'upsert',
      keys: ['id'],
      input: orders,
    })
    expect(second).toMatchObject({ inserted: 0, updated: 0 })
  })

  it('refuses upsert keys that are missing, NULL or repeated in the input', async () => {
    const repeated = await sandbox.input(
      'repeated',
      `SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (1, 'c')) v(id, name)`,
    )
    const error = await failureOf(
      write({ schema: 'push', table: 'keyed', mode: 'upsert', keys: ['id'], input: repeated }),
    )
    expect(error.code).toBe('PUSH_FAILED')
    expect(error.message).toContain('same key')
    expect(error.message).toContain('"id":1')
    const nulls = await sandbox.input('nulls', `SELECT * FROM (VALUES (1), (NULL)) v(id)`)
    expect(
      (
        await failureOf(
          write({ schema: 'push', table: 'k', mode: 'mirror', keys: ['id'], input: nulls }),
        )
      ).message,
    ).toContain('NULL')
    expect(
      (
        await failureOf(
          write({ schema: 'push', table: 'k', mode: 'upsert', keys: [], input: orders }),
        )
      ).message,
    ).toContain('needs key columns')
  })

  it('dry run: reports counts, samples and DDL, and leaves everything as it was', async () => {
    await sql(`CREATE TABLE push.dry (id int PRIMARY KEY, name text, amount numeric(10,2), at timestamp);
               INSERT INTO push.dry SELECT g, 'name ' || g, g * 1.25,
                 timestamp '2024-01-01' + g * interval '1 second' FROM generate_series(1, 500) g;
               UPDATE push.dry SET name = 'stale' WHERE id <= 3;
               INSERT INTO push.dry (id) VALUES (5000), (5001)`)
    const before = await fingerprint('push.dry')
    const dry = await write({
      schema: 'push',
      table: 'dry',
      mode: 'mirror',
      keys: ['id'],
      input: orders,
      dryRun: true,
    })
    expect(dry).toMatchObject({ inserted: 500, updated: 3, deleted: 2, ddl: [] })
    expect(dry.samples?.insert).toHaveLength(5)
    expect(dry.samples?.update.map((row) => row.id).sort()).toEqual([1, 2, 3])
    expect(dry.samples?.update[0]).toMatchObject({ name: expect.stringMatching(/^name \d$/) })
    expect(dry.samples?.delete.map((row) => row.id).sort()).toEqual([5000, 5001])
    expect(await fingerprint('push.dry')).toEqual(before)

    const real = await write({
      schema: 'push',
      table: 'dry',
      mode: 'mirror',
      keys: ['id'],
      input: orders,
    })
    expect(real).toMatchObject({ inserted: 500, updated: 3, deleted: 2 })

    // Appending the same keys again would break the primary key: the dry run finds out.
    const settled = await fingerprint('push.dry')
    const clash = await failureOf(
      write({ schema: 'push', table: 'dry', mode: 'append', input: orders, dryRun: true }),
    )
    expect(clash.message).toContain('Key (id)=(1) already exists')
    expect(await fingerprint('push.dry')).toEqual(settled)
    await sql('ALTER TABLE push.dry DROP CONSTRAINT dry_pkey')
    for (const mode of ['append', 'truncate', 'replace'] as const) {
      const settled = await fingerprint('push.dry')
      const outcome = await write({
        schema: 'push',
        table: 'dry',
        mode,
        input: orders,
        dryRun: true,
      })
      expect(outcome.samples?.insert).toHaveLength(5)
      expect(await fingerprint('push.dry')).toEqual(settled)
      if (mode !== 'append') {
        expect(outcome.deleted).toBe(1000)
      }
    }

    const create = await write({
      schema: 'push',
      table: 'dry_new',
      mode: 'append',
      input: orders,
      dryRun: true,
    })
    expect(create.ddl).toEqual([
      'CREATE TABLE "push"."dry_new" ("id" integer, "name" text, "amount" numeric(10,2), "at" timestamp)',
    ])
    expect(create.inserted).toBe(1000)
    expect(await sql(`SELECT to_regclass('push.dry_new') AS found`)).toEqual([{ found: null }])
  })

  it('lists every missing, extra and incompatible column in one error', async () => {
    await sql(`CREATE TABLE push.shaped (id int NOT NULL, "Name" text, amount boolean, at timestamp,
                 required text NOT NULL, optional text)`)
    const before = await fingerprint('push.shaped')
    const error = await failureOf(
      write({ schema: 'push', table: 'shaped', mode: 'append', input: orders }),
    )
    expect(error.code).toBe('PUSH_SCHEMA_MISMATCH')
    expect(error.message).toContain('Extra column "name" (not in the table, which has "Name")')
    expect(error.message).toContain(
      'incompatible column "amount": DECIMAL(10,2) cannot be stored as boolean',
    )
    expect(error.message).toContain('missing column "required"')
    expect(error.message).not.toContain('optional')
    expect(await fingerprint('push.shaped')).toEqual(before)
  })

  it('runs pre- and post-SQL in the same transaction as the push', async () => {
    await write({
      schema: 'push',
      table: 'hooked',
      mode: 'append',
      input: orders,
      preSql: `INSERT INTO public.push_log VALUES ('before')`,
      postSql: `INSERT INTO public.push_log SELECT 'after ' || count(*) FROM push.hooked`,
    })
    expect(await sql('SELECT note FROM public.push_log ORDER BY note')).toEqual([
      { note: 'after 1000' },
      { note: 'before' },
    ])
    const error = await failureOf(
      write({
        schema: 'push',
        table: 'hooked',
        mode: 'append',
        input: orders,
        preSql: `INSERT INTO public.push_log VALUES ('again')`,
        postSql: 'SELECT 1 / 0',
      }),
    )
    expect(error.code).toBe('PUSH_FAILED')
    expect(error.message).toContain('the post-SQL failed: division by zero')
    expect(await sql('SELECT count(*)::int AS n FROM public.push_log')).toEqual([{ n: 2 }])
    expect(await fingerprint('push.hooked')).toMatchObject({ n: 1000 })
  })

  it('stops when a hook ends the transaction, rather than going on in autocommit', async () => {
    await sql(`CREATE TABLE push.hook_ends (id int, name text, amount numeric(10,2), at timestamp);
               INSERT INTO push.hook_ends (id) SELECT generate_series(1, 5)`)
    const before = await fingerprint('push.hook_ends')
    const committed = await failureOf(
      write({
        schema: 'push',
        table: 'hook_ends',
        mode: 'truncate',
        input: orders,
        preSql: 'COMMIT',
      }),
    )
    expect(committed.code).toBe('PUSH_FAILED')
    expect(committed.message).toContain(
      "the pre-SQL ended the push's transaction (COMMIT or ROLLBACK); hooks run inside it and must leave it open.",
    )
    expect(committed.message).toContain('the push wrote nothing')
    expect(await fingerprint('push.hook_ends')).toEqual(before)
    const rolledBack = await failureOf(
      write({
        schema: 'push',
        table: 'hook_ends',
        mode: 'truncate',
        input: orders,
        preSql: `INSERT INTO public.push_log VALUES ('gone')`,
        postSql: `INSERT INTO public.push_log VALUES ('gone too'); ROLLBACK`,
      }),
    )
    expect(rolledBack.message).toContain("the post-SQL ended the push's transaction")
    expect(rolledBack.message).toContain('Nothing was written')
    expect(await fingerprint('push.hook_ends')).toEqual(before)
    expect(await sql('SELECT count(*)::int AS n FROM public.push_log')).toEqual([{ n: 0 }])
  })

  it('quotes hostile names so none is ever run as SQL, and refuses unusable ones', async () => {
    await sql(`CREATE TABLE push.victim (id int); INSERT INTO push.victim VALUES (1)`)
    const hostile = await sandbox.input(
      'hostile',
      `SELECT 1 AS "it's", 2 AS "a""b", 3 AS "x; DROP TABLE push.victim; --", 4 AS "prénom 名字 😀",
              5 AS "select", 6 AS "-- comment"`,
    )
    const table = 'evil"; DROP TABLE push.victim; --'
    const outcome = await write({ schema: 'push', table, mode: 'create', input: hostile })
    expect(outcome.inserted).toBe(1)
    expect(await sql('SELECT count(*)::int AS n FROM push.victim')).toEqual([{ n: 1 }])
    const columns = await sql<{ name: string }>(
      `SELECT attname AS name FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
       WHERE c.relname = 'evil"; DROP TABLE push.victim; --' AND attnum > 0 ORDER BY attnum`,
    )
    expect(columns.map((row) => row.name)).toEqual([
      "it's",
      'a"b',
      'x; DROP TABLE push.victim; --',
      'prénom 名字 😀',
      'select',
      '-- comment',
    ])
    // Upsert again by a hostile key: updates nothing, inserts nothing.
    const again = await write({
      schema: 'push',
      table,
      mode: 'upsert',
      keys: ["it's"],
      input: hostile,
    })
    expect(again).toMatchObject({ inserted: 0, updated: 0 })

    const long = 'é'.repeat(32)
    const tooLong = await sandbox.input('too_long', `SELECT 1 AS "${long}"`)
    const error = await failureOf(
      write({ schema: 'push', table: 'fine', mode: 'create', input: tooLong }),
    )
    expect(error.code).toBe('BAD_IDENTIFIER')
    expect(error.message).toContain('at most 63 bytes')
    const longTable = await failureOf(
      write({ schema: 'push', table: 'x'.repeat(64), mode: 'create', input: orders }),
    )
    expect(longTable.code).toBe('BAD_IDENTIFIER')
    expect(longTable.message).toContain('table name')

    const collide: InputRelation = {
      ref: orders.ref,
      columns: [
        { name: 'Amount', type: 'INTEGER' },
        { name: 'amount', type: 'INTEGER' },
      ],
    }
    const collision = await failureOf(
      write({ schema: 'push', table: 'fine', mode: 'create', input: collide }),
    )
    expect(collision.code).toBe('BAD_IDENTIFIER')
    expect(collision.message).toContain('differ only in letter case')
    const control = await failureOf(
      write({
        schema: 'push',
        table: 'fine',
        mode: 'create',
        input: { ref: orders.ref, columns: [{ name: 'line\nbreak', type: 'INTEGER' }] },
      }),
    )
    expect(control.code).toBe('BAD_IDENTIFIER')
    expect(await sql(`SELECT to_regclass('push.fine') AS found`)).toEqual([{ found: null }])
  })
})
