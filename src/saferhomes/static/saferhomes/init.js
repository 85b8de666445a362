import { initAll } from '../govuk/govuk-frontend.min.js'
initAll()
// Words that are only true once JavaScript runs (e.g. "press the Shift key 3 times") start hidden.
document.querySelectorAll('[data-saferhomes-js-only]').forEach((element) => { element.hidden = false })
