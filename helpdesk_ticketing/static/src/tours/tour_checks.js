/** Checks the helpdesk tours of every addon make on the page they walk through. */

/** Throws when a cell of the given columns does not show its whole text. */
export function assertNotCut(columns) {
    const cells = document.querySelectorAll(columns.map((name) => `.o_data_row td[name='${name}']`).join(", "));
    if (!cells.length) {
        throw new Error(`no cell of ${columns.join(", ")}`);
    }
    for (const cell of cells) {
        if (cell.scrollWidth > cell.clientWidth) {
            throw new Error(`"${cell.textContent.trim()}" is cut in column ${cell.getAttribute("name")}`);
        }
    }
}
