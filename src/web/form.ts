// Accessible form controls for server-rendered pages: every control has a <label>, a hint and an
// error message tied to it with aria-describedby, and aria-invalid when it was refused. Forms are
// submitted without client-side JavaScript; the server's message next to the field is the
// validation (pages put `novalidate` on their forms so the browser does not pre-empt it).
import { html, type Html } from './html.js'

export interface ControlOptions {
  name: string
  label: string
  value?: string
  /** The server's message for this field, shown next to it. */
  error?: string
  hint?: string
  required?: boolean
}

export interface InputOptions extends ControlOptions {
  type?: 'text' | 'email' | 'password' | 'tel' | 'date' | 'search'
  autocomplete?: string
  inputmode?: 'text' | 'numeric' | 'decimal' | 'email' | 'tel'
  maxlength?: number
  /** Extra attributes written by the page itself (never user input). */
  spellcheck?: boolean
  list?: string
}

export interface Option {
  value: string
  label: string
}

const idOf = (name: string) => `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`

const describedBy = (o: ControlOptions) =>
  [o.hint ? `${idOf(o.name)}-hint` : '', o.error ? `${idOf(o.name)}-error` : ''].filter(Boolean).join(' ') || null

const hintAndError = (o: ControlOptions) =>
  html`${o.hint ? html`<p class="hint" id="${idOf(o.name)}-hint">${o.hint}</p>` : ''}${o.error ? html`<p class="error" id="${idOf(o.name)}-error">${o.error}</p>` : ''}`

const attr = (name: string, value: string | number | null | undefined) =>
  value === null || value === undefined ? '' : html` ${name}="${String(value)}"`

/** A labelled text-like input. */
export const inputField = (o: InputOptions): Html => html`<div class="field${o.error ? ' field-error' : ''}">
<label for="${idOf(o.name)}">${o.label}</label>
${hintAndError(o)}<input id="${idOf(o.name)}" name="${o.name}" type="${o.type ?? 'text'}" value="${o.value ?? ''}"${attr('autocomplete', o.autocomplete)}${attr('inputmode', o.inputmode)}${attr('maxlength', o.maxlength)}${attr('list', o.list)}${attr('aria-describedby', describedBy(o))}${o.error ? html` aria-invalid="true"` : ''}${o.required ? html` required aria-required="true"` : ''}${o.spellcheck === false ? html` spellcheck="false"` : ''}>
</div>`

/** A labelled <select>. */
export const selectField = (
  o: ControlOptions & { options: readonly Option[]; autocomplete?: string },
): Html => html`<div class="field${o.error ? ' field-error' : ''}">
<label for="${idOf(o.name)}">${o.label}</label>
${hintAndError(o)}<select id="${idOf(o.name)}" name="${o.name}"${attr('autocomplete', o.autocomplete)}${attr('aria-describedby', describedBy(o))}${o.error ? html` aria-invalid="true"` : ''}${o.required ? html` required aria-required="true"` : ''}>
${o.options.map((opt) => html`<option value="${opt.value}"${opt.value === o.value ? html` selected` : ''}>${opt.label}</option>`)}
</select>
</div>`

/** Radio buttons in a fieldset whose legend is the question; each option may carry a description block. */
export const radioGroup = (
  o: ControlOptions & { options: readonly (Option & { description?: Html })[] },
): Html => html`<fieldset id="${idOf(o.name)}" tabindex="-1" class="field${o.error ? ' field-error' : ''}"${attr('aria-describedby', describedBy(o))}>
<legend>${o.label}</legend>
${hintAndError(o)}${o.options.map(
  (opt, i) => html`<div class="choice">
<input type="radio" id="${idOf(o.name)}-${i}" name="${o.name}" value="${opt.value}"${opt.value === o.value ? html` checked` : ''}${o.error ? html` aria-invalid="true"` : ''}>
<label for="${idOf(o.name)}-${i}">${opt.label}</label>${opt.description ? html`<div class="choice-description">${opt.description}</div>` : ''}
</div>`,
)}
</fieldset>`

/** A single checkbox (value "yes"), its label after it. */
export const checkboxField = (
  o: Omit<ControlOptions, 'value'> & { checked?: boolean },
): Html => html`<div class="field choice${o.error ? ' field-error' : ''}">
${hintAndError(o)}<input type="checkbox" id="${idOf(o.name)}" name="${o.name}" value="yes"${o.checked ? html` checked` : ''}${attr('aria-describedby', describedBy(o))}${o.error ? html` aria-invalid="true"` : ''}${o.required ? html` required aria-required="true"` : ''}>
<label for="${idOf(o.name)}">${o.label}</label>
</div>`

/** The hidden CSRF field every POST form carries. */
export const csrfField = (token: string): Html => html`<input type="hidden" name="_csrf" value="${token}">`

/**
 * The list of refused fields at the top of a form, each a link to its field (WCAG 3.3.1): keyboard
 * and screen-reader users learn what to fix before they reach it.
 */
export const errorSummary = (title: string, errors: readonly { name: string; message: string }[]): Html =>
  errors.length === 0
    ? html``
    : html`<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
<h2 id="error-summary-title">${title}</h2>
<ul>${errors.map((e) => html`<li><a href="#${idOf(e.name)}">${e.message}</a></li>`)}</ul>
</div>`
