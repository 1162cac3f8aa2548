// A type-ahead field (ARIA combobox with a listbox): one search per pause in typing, the latest answer wins, arrows
// move through the options and Enter takes the highlighted one or the first. Enter never takes an option found for
// what was typed before: while the list answers an older query, it searches what is typed now and takes that first
// match (typing "tos ferina" fast and pressing Enter must not add "Tos").

const PAUSE_MS = 120;

/**
 * @param {object} o
 * @param {HTMLInputElement} o.input
 * @param {HTMLElement} o.list the listbox
 * @param {string} o.idPrefix ids of the options, for aria-activedescendant
 * @param {(q: string) => Promise<object[]>} o.search
 * @param {(r: object) => (string|Node)[]} o.render an option's content
 * @param {(r: object) => void} o.pick
 * @param {() => string} o.noMatches the text of an empty answer
 * @param {(err: Error) => void} o.onError
 */
export function combobox({ input, list, idPrefix, search, render, pick, noMatches, onError }) {
  let seq = 0;
  let timer;
  let active = -1;
  let shown = { q: null, results: [] }; // the query the list answers, and its results

  const options = () => [...list.querySelectorAll('[role=option]')];
  function highlight(i) {
    active = i;
    for (const [j, li] of options().entries()) li.setAttribute('aria-selected', String(j === i));
    if (i >= 0) input.setAttribute('aria-activedescendant', `${idPrefix}-${i}`);
    else input.removeAttribute('aria-activedescendant');
  }
  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    highlight(-1);
  }
  function show(q, results) {
    shown = { q, results };
    const items = results.map((r, i) => {
      const li = document.createElement('li');
      li.setAttribute('role', 'option');
      li.id = `${idPrefix}-${i}`;
      li.dataset.id = r.id;
      li.append(...render(r));
      // mousedown, not click: the input's blur would close the list first
      li.addEventListener('mousedown', (e) => {
        e.preventDefault();
        choose(r);
      });
      return li;
    });
    if (!items.length) {
      const li = document.createElement('li');
      li.className = 'muted';
      li.textContent = noMatches();
      items.push(li);
    }
    list.replaceChildren(...items);
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    highlight(-1);
  }
  async function run(q) {
    const mine = ++seq;
    let results;
    try {
      results = await search(q);
    } catch (err) {
      onError(err);
      return null;
    }
    if (mine !== seq) return null;
    show(q, results);
    return results;
  }
  function choose(r) {
    seq++; // an answer still on its way must not reopen the list
    clearTimeout(timer);
    input.value = '';
    close();
    pick(r);
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    highlight(-1);
    const q = input.value.trim();
    if (!q) {
      seq++;
      close();
      return;
    }
    timer = setTimeout(() => run(q), PAUSE_MS);
  });
  input.addEventListener('keydown', async (e) => {
    const q = input.value.trim();
    const current = !list.hidden && shown.q === q;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = current ? shown.results.length : 0;
      if (n) highlight(e.key === 'ArrowDown' ? (active + 1) % n : active <= 0 ? n - 1 : active - 1);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      close();
    } else if (e.key === 'Enter' && q) {
      e.preventDefault();
      if (current) {
        if (shown.results.length) choose(shown.results[Math.max(active, 0)]);
        return;
      }
      clearTimeout(timer);
      const results = await run(q);
      if (results?.length && input.value.trim() === q) choose(results[0]);
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 100));

  return { close };
}
