// Reads a PDF back in tests with pdf.js (pdfjs-dist 4.x legacy build: the last line that runs on
// Node 20; 5.x needs Node 22), so no system tool (pdftotext/pdffonts) is needed: the text of each
// page laid out in lines, and the fonts with whether their file is embedded.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'

export interface PdfFont {
  /** The font's PostScript name; a subset carries a `ABCDEF+` prefix. */
  name: string
  embedded: boolean
}

export interface PdfText {
  /** Each page's text: one line per baseline, left to right; cells further apart than a space are joined by two spaces. */
  pages: string[]
  /** Every page's text, separated by form feeds (as pdftotext prints it). */
  text: string
  fonts: PdfFont[]
  title: string | undefined
  language: string | undefined
}

interface Item {
  str: string
  x: number
  y: number
  width: number
  height: number
}

const layout = (items: Item[]): string => {
  const rows: Item[][] = []
  for (const item of [...items].sort((a, b) => b.y - a.y || a.x - b.x)) {
    const row = rows.find((r) => Math.abs(r[0]!.y - item.y) < 2)
    if (row) row.push(item)
    else rows.push([item])
  }
  return rows
    .map((row) => {
      let line = ''
      let end = -Infinity
      for (const item of row.sort((a, b) => a.x - b.x)) {
        // A gap wider than about one space between two pieces of text is a new cell.
        if (line && item.x - end > Math.max(2, item.height * 0.4)) line += '  '
        line += item.str
        end = item.x + item.width
      }
      return line.replace(/\u00a0|\u202f/g, ' ').trimEnd()
    })
    .filter((l) => l.trim() !== '')
    .join('\n')
}

export const readPdf = async (bytes: Uint8Array): Promise<PdfText> => {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise
  try {
    const pages: string[] = []
    const fonts = new Map<string, PdfFont>()
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n)
      const content = await page.getTextContent()
      const items = content.items.flatMap((i) =>
        'str' in i && i.str.trim() !== ''
          ? [{ str: i.str, x: i.transform[4] as number, y: i.transform[5] as number, width: i.width, height: i.height }]
          : [],
      )
      pages.push(layout(items))
      // Loading the operator list makes pdf.js load the page's fonts into commonObjs.
      await page.getOperatorList()
      for (const [, obj] of page.commonObjs as unknown as Iterable<[string, { name?: string; missingFile?: boolean } | undefined]>) {
        if (obj?.name) fonts.set(obj.name, { name: obj.name, embedded: obj.missingFile === false })
      }
    }
    const meta = await pdf.getMetadata()
    const info = meta.info as { Title?: string; Language?: string }
    return { pages, text: pages.join('\f'), fonts: [...fonts.values()], title: info.Title, language: info.Language }
  } finally {
    await pdf.destroy()
  }
}
