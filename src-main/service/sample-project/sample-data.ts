import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import iconv from 'iconv-lite'
import { pick, seededRandom } from './random'

/**
 * The sample shop's data: orders from customers (some new, some already known), and the sales
 * leads already open for known customers. Dirty rows are written on purpose, at fixed rates, so
 * the demo pipeline has something to clean: duplicates, blanks, bad dates, stray whitespace,
 * mixed case, and a few ragged lines.
 */
export interface OrdersOptions {
  orders: number
  seed: number
  /** Customers in the pool orders are drawn from; a third of them already exist. */
  customers: number
  /** Write dirty rows (the demo); the benchmark writes clean data at volume. */
  dirty: boolean
}

const cities = ['北京', '上海', '广州', '深圳', '杭州', '成都', 'Shenzhen', 'Hangzhou']
const surnames = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴']
const givenNames = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '艳', '勇', '军']
const orderTypes = ['sample', 'proof', 'bulk'] as const
const statuses = ['paid', 'shipped', 'refunded']
const stages = ['OPEN', 'COLD', 'WON', 'LOST']

export const ordersHeader =
  'order_id,order_date,customer_email,customer_name,phone,city,product_sku,order_type,quantity,amount,status'

function customerEmail(index: number): string {
  return `customer${index}@example.com`
}

function customerName(random: () => number): string {
  return pick(random, surnames) + pick(random, givenNames)
}

function isoDate(random: () => number): string {
  const day = new Date(Date.UTC(2024, 0, 1) + Math.floor(random() * 365) * 86_400_000)
  return day.toISOString().slice(0, 10)
}

/** One clean order line, and the same order roughed up the way exports from real shops are. */
function orderLine(index: number, random: () => number, options: OrdersOptions): string {
  const customer = Math.floor(random() * options.customers)
  const type = pick(random, orderTypes)
  const quantity = type === 'bulk' ? 50 + Math.floor(random() * 950) : 1 + Math.floor(random() * 3)
  const amount = (quantity * (type === 'bulk' ? 8 : 25) * (0.8 + random() * 0.4)).toFixed(2)
  let email = customerEmail(customer)
  let date = isoDate(random)
  let typeText: string = type
  let name = customerName(seededRandom(customer + 1))
  if (options.dirty) {
    const roll = random()
    if (roll < 0.02) {
      email = ''
    } else if (roll < 0.04) {
      date = pick(random, ['2024-13-45', 'n/a', '31/02/2024'])
    } else if (roll < 0.1) {
      email = `  ${email.toUpperCase()} `
      typeText = ` ${type.toUpperCase()}`
      name = ` ${name}  `
    }
  }
  const phone = `1${String(3_000_000_000 + customer * 7919).slice(0, 10)}`
  const sku = `SKU-${String(1 + Math.floor(random() * 500)).padStart(4, '0')}`
  return `${100_000 + index},${date},${email},${name},${phone},${pick(random, cities)},${sku},${typeText},${quantity},${amount},${pick(random, statuses)}`
}

/** Writes the orders CSV (UTF-8), streaming so a 10M-row file never sits in memory. */
export async function writeOrdersCsv(path: string, options: OrdersOptions): Promise<void> {
  const random = seededRandom(options.seed)
  const out = createWriteStream(path)
  let buffer = `${ordersHeader}\n`
  for (let index = 0; index < options.orders; index += 1) {
    const line = orderLine(index, random, options)
    buffer += `${line}\n`
    if (options.dirty && random() < 0.01) {
      buffer += `${line}\n` // an exact duplicate, as a double export produces
    }
    if (options.dirty && index % 2500 === 1234) {
      buffer += `${100_000 + index},2024-05-01,broken line without enough columns\n`
    }
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) {
        await once(out, 'drain')
      }
      buffer = ''
    }
  }
  out.end(buffer)
  await once(out, 'finish')
}

/** The customers already in the CRM: a third of the pool, exported from a Chinese-locale tool in GBK. */
export async function writeCustomersCsv(path: string, options: OrdersOptions): Promise<void> {
  const random = seededRandom(options.seed + 1)
  const lines = ['customer_id,email,name,city,created_at']
  for (let customer = 0; customer < options.customers; customer += 3) {
    const email = random() < 0.1 ? customerEmail(customer).toUpperCase() : customerEmail(customer)
    lines.push(
      `C${String(customer).padStart(6, '0')},${email},${customerName(seededRandom(customer + 1))},${pick(random, cities)},${isoDate(random)}`,
    )
  }
  const { writeFile } = await import('node:fs/promises')
  await writeFile(path, iconv.encode(`${lines.join('\r\n')}\r\n`, 'gbk'))
}

/** Leads the sales team already works on, for some of the existing customers. */
export async function writeLeadsCsv(path: string, options: OrdersOptions): Promise<void> {
  const random = seededRandom(options.seed + 2)
  const lines = ['lead_id,customer_email,stage,owner,updated_at']
  let lead = 1
  for (let customer = 0; customer < options.customers; customer += 3) {
    if (random() < 0.6) {
      lines.push(
        `L${String(lead).padStart(5, '0')},${customerEmail(customer)},${pick(random, stages)},${pick(random, ['amy', 'bo', 'chen'])},${isoDate(random)}`,
      )
      lead += 1
    }
  }
  const { writeFile } = await import('node:fs/promises')
  await writeFile(path, `${lines.join('\n')}\n`)
}
