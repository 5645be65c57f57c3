import { SluiceFailure, sluiceError } from '../../src-shared/errors'
import type { Parameter } from '../../src-shared/project'
import type { StoreDatabase } from './store-database'

/** Project-level parameters, used in configs as `${name}`. */
export class ParameterRepository {
  constructor(private readonly store: StoreDatabase) {}

  list(): Parameter[] {
    return this.store.read(
      () =>
        this.store
          .statement('SELECT name, value, description FROM parameters ORDER BY name')
          .all() as Parameter[],
    )
  }

  /** Creates or replaces the parameter of that name. */
  set(parameter: Parameter): Parameter {
    this.store.write(() => {
      this.store
        .statement(
          `INSERT INTO parameters (name, value, description) VALUES (?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET value = excluded.value, description = excluded.description`,
        )
        .run(parameter.name, parameter.value, parameter.description)
    })
    return { name: parameter.name, value: parameter.value, description: parameter.description }
  }

  delete(name: string): void {
    this.store.write(() => {
      if (this.store.statement('DELETE FROM parameters WHERE name = ?').run(name).changes === 0) {
        throw new SluiceFailure(sluiceError('PARAMETER_NOT_FOUND', { parameter: name }))
      }
    })
  }

  /** Name → value, what a run starts from before its own overrides. */
  values(): Record<string, string> {
    return Object.fromEntries(this.list().map((parameter) => [parameter.name, parameter.value]))
  }
}
