// An independent reading of the customer's price lists (test/fixtures/seeds, copies of the customer's documents), used to check the
// hand-written catalog row by row. It shares no code with src/catalog: country names are mapped by
// the tables below, prices are read with regular expressions from the text itself.
import { readFileSync } from 'node:fs'

export const SEEDS = new URL('../fixtures/seeds', import.meta.url).pathname
export const readSeed = (file: string): string => readFileSync(`${SEEDS}/${file}`, 'utf8')

/** Collapses every run of whitespace (and HTML tags of the Estonian list) into one space. */
export const squash = (text: string): string =>
  text
    .replace(/<\/?[a-z]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()

/** "0,42" → "0.42"; "2" stays "2". */
export const amount = (text: string): string => text.replace(',', '.')

export const GERMAN_NAMES: Record<string, string> = {
  Belgien: 'BE',
  Bulgarien: 'BG',
  Dänemark: 'DK',
  Estland: 'EE',
  Finnland: 'FI',
  Frankreich: 'FR',
  Griechenland: 'GR',
  Großbritannien: 'GB',
  Irland: 'IE',
  Italien: 'IT',
  Kroatien: 'HR',
  Lettland: 'LV',
  Litauen: 'LT',
  Luxemburg: 'LU',
  Niederlande: 'NL',
  Norwegen: 'NO',
  Österreich: 'AT',
  Polen: 'PL',
  Portugal: 'PT',
  Rumänien: 'RO',
  Schweden: 'SE',
  Schweiz: 'CH',
  Slowakei: 'SK',
  Slowenien: 'SI',
  Spanien: 'ES',
  Tschechien: 'CZ',
  Ungarn: 'HU',
}

export const SLOVENIAN_NAMES: Record<string, string> = {
  Avstrija: 'AT',
  Belgija: 'BE',
  Bolgarija: 'BG',
  'Češka republika': 'CZ',
  Danska: 'DK',
  Estonija: 'EE',
  Finska: 'FI',
  Francija: 'FR',
  Grčija: 'GR',
  Hrvaška: 'HR',
  Irska: 'IE',
  Italija: 'IT',
  Latvija: 'LV',
  Litva: 'LT',
  Luksemburg: 'LU',
  Madžarska: 'HU',
  Nemčija: 'DE',
  Nizozemska: 'NL',
  Norveška: 'NO',
  Poljska: 'PL',
  Portugalska: 'PT',
  Romunija: 'RO',
  Slovaška: 'SK',
  Španija: 'ES',
  Švedska: 'SE',
  Švica: 'CH',
  'Velika Britanija': 'GB',
}

export const ESTONIAN_NAMES: Record<string, string> = {
  Austria: 'AT',
  Belgia: 'BE',
  Bulgaria: 'BG',
  Hispaania: 'ES',
  Holland: 'NL',
  Horvaatia: 'HR',
  Iirimaa: 'IE',
  Itaalia: 'IT',
  Kreeka: 'GR',
  Läti: 'LV',
  Leedu: 'LT',
  Luksemburg: 'LU',
  Norra: 'NO',
  Poola: 'PL',
  Portugal: 'PT',
  Prantsusmaa: 'FR',
  Rootsi: 'SE',
  Rumeenia: 'RO',
  Saksamaa: 'DE',
  Slovakkia: 'SK',
  Sloveenia: 'SI',
  Soome: 'FI',
  Suurbritannia: 'GB',
  Šveits: 'CH',
  Taani: 'DK',
  Tšehhi: 'CZ',
  Ungari: 'HU',
}

/** A price row as read from the text: only the parts the text states. */
export interface SeedRow {
  currency: string
  perKwh?: string
  perMinute?: { fromMinute: number; perMinute: string }[]
  blocking?: { afterMinutes: number; perMinute: string; window?: { from: string; to: string } }
  sessionFee?: string
}

const currencies = new Set<string>()
const noteCurrency = (row: SeedRow, currency: string): void => {
  currencies.add(currency)
  if (row.currency && row.currency !== currency) throw new Error(`mixed currencies ${row.currency}/${currency} in one row`)
  row.currency = currency
}

/** Reads one AC or DC part of a DE/SI country block (text after the AC/DC label, squashed). */
export const parseFixedRow = (part: string): SeedRow => {
  const row: SeedRow = { currency: '' }
  const kwh = /^([\d,]+) ([A-Z]{3}) \/ kWh/.exec(part)
  if (kwh) {
    row.perKwh = amount(kwh[1]!)
    noteCurrency(row, kwh[2]!)
  }
  const flatMinute = /^([\d,]+) ([A-Z]{3}) \/ min/.exec(part)
  if (flatMinute) {
    row.perMinute = [{ fromMinute: 0, perMinute: amount(flatMinute[1]!) }]
    noteCurrency(row, flatMinute[2]!)
  }
  const tiers = /^(?:bis|do) (\d+) min ([\d,]+) ([A-Z]{3}) \/ min (?:ab|od) (\d+) min ([\d,]+) ([A-Z]{3}) \/ min/.exec(part)
  if (tiers) {
    if (Number(tiers[4]) !== Number(tiers[1]) + 1) throw new Error(`tiers do not join: ${tiers[0]}`)
    // "up to 90 min" covers minutes 0-89; "from 91 min" starts at minute index 90
    row.perMinute = [
      { fromMinute: 0, perMinute: amount(tiers[2]!) },
      { fromMinute: Number(tiers[1]), perMinute: amount(tiers[5]!) },
    ]
    noteCurrency(row, tiers[3]!)
    noteCurrency(row, tiers[6]!)
  }
  const blocking = /(?:(\d\d:\d\d) - (\d\d:\d\d) )?(?:nach|po) (\d+) (?:Minuten|minut) \+ ([\d,]+) ([A-Z]{3}) \/ min/.exec(part)
  if (blocking) {
    row.blocking = {
      afterMinutes: Number(blocking[3]),
      perMinute: amount(blocking[4]!),
      ...(blocking[1] ? { window: { from: blocking[1], to: blocking[2]! } } : {}),
    }
    noteCurrency(row, blocking[5]!)
  }
  const fee = /(?:Ladevorgangsgebühr|Nadomestilo za polnjenje) ([\d,]+) ([A-Z]{3})/.exec(part)
  if (fee) {
    row.sessionFee = amount(fee[1]!)
    noteCurrency(row, fee[2]!)
  }
  if (!row.perKwh && !row.perMinute) throw new Error(`no price found in: ${part.slice(0, 80)}`)
  return row
}

/** Splits a section into blocks that start at lines "<Country> AC-Laden" / "<Country> Polnjenje na". */
export const countryBlocks = (section: string, names: Record<string, string>): Map<string, string> => {
  const heading = /^\s*(\S.*?) (?:AC-Laden|Polnjenje na)\b/gm
  const starts = [...section.matchAll(heading)]
  const blocks = new Map<string, string>()
  starts.forEach((match, i) => {
    const name = match[1]!.trim()
    const code = names[name]
    if (!code) throw new Error(`unknown country heading "${name}"`)
    const end = starts[i + 1]?.index ?? section.length
    blocks.set(code, squash(section.slice(match.index! + match[0].indexOf(match[1]!) + match[1]!.length, end)))
  })
  return blocks
}

export const between = (text: string, from: string | RegExp, to: string | RegExp): string => {
  const start = typeof from === 'string' ? text.indexOf(from) : text.search(from)
  if (start < 0) throw new Error(`marker not found: ${String(from)}`)
  const rest = text.slice(start)
  const end = typeof to === 'string' ? rest.indexOf(to) : rest.search(to)
  if (end < 0) throw new Error(`marker not found: ${String(to)}`)
  return rest.slice(0, end)
}

/** Reads the AC and DC parts of a squashed DE/SI block; `dcLabel` separates them. */
export const parseCountryBlock = (block: string, acLabel: RegExp, dcLabel: RegExp): { ac: SeedRow; dc: SeedRow } => {
  const [acPart, dcPart] = block.split(dcLabel)
  if (acPart === undefined || dcPart === undefined) throw new Error(`no DC part in: ${block.slice(0, 80)}`)
  return { ac: parseFixedRow(acPart.replace(acLabel, '').trim()), dc: parseFixedRow(dcPart.trim()) }
}

/** Estonian blocking fee texts: "07.00–23.00 pärast 60 min 0,10 EUR / min" or "45 minuti pärast 0,25 EUR / min". */
export const parseEstonianRow = (part: string): SeedRow => {
  const row: SeedRow = { currency: '' }
  const kwh = /^([\d,]+) ([A-Z]{3}) \/ kWh/.exec(part)
  if (!kwh) throw new Error(`no kWh price in: ${part}`)
  row.perKwh = amount(kwh[1]!)
  noteCurrency(row, kwh[2]!)
  const windowed = /(\d\d)\.(\d\d)–(\d\d)\.(\d\d) pärast (\d+) min ([\d,]+) ([A-Z]{3}) \/ min/.exec(part)
  const plain = /(\d+) minuti pärast ([\d,]+) ([A-Z]{3}) \/ min/.exec(part)
  if (windowed) {
    row.blocking = {
      afterMinutes: Number(windowed[5]),
      perMinute: amount(windowed[6]!),
      window: { from: `${windowed[1]}:${windowed[2]}`, to: `${windowed[3]}:${windowed[4]}` },
    }
    noteCurrency(row, windowed[7]!)
  } else if (plain) {
    row.blocking = { afterMinutes: Number(plain[1]), perMinute: amount(plain[2]!) }
    noteCurrency(row, plain[3]!)
  }
  return row
}
