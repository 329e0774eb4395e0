import { h, section } from '../dom.js';
import { api } from '../api.js';

// Levels in increasing order, as GET /api/runs/{id}/logs names them.
const LEVELS = ['debug', 'information', 'warning', 'error', 'critical'];
const PAGE = 500;

// The run page's Logs panel: one element kept across the page's re-renders, filled along the log's cursor
// (GET /api/runs/{id}/logs?after=next) each time the page polls, so a running run's lines appear as they are written.
export function runLogPanel(runId) {
  const lines = [];
  let after = 0;
  const list = h('div', { id: 'run-log', className: 'run-log', role: 'log', 'aria-live': 'polite', 'aria-label': 'Run log lines', tabindex: '0' });
  const count = h('span', { id: 'run-log-count' }, '');
  const level = h('select', { id: 'run-log-level', onChange: render },
    LEVELS.slice(1).map((l) => h('option', { value: l }, l === 'information' ? 'information and above' : `${l} and above`)));
  const element = section('Logs',
    h('p', { className: 'run-log-filter' }, h('label', { for: 'run-log-level' }, 'Level '), level, ' ', count),
    list);

  function shown(line) {
    return LEVELS.indexOf(line.level) >= LEVELS.indexOf(level.value);
  }

  function row(line) {
    const time = line.at ? new Date(line.at).toISOString().slice(11, 23) : '';
    return h('div', { className: `log-line log-${line.level}` },
      h('time', { datetime: line.at }, time), ' ', h('span', { className: 'log-step' }, line.step.padEnd(9)), ' ',
      line.source === 'job' ? h('span', { className: 'log-source' }, '[job] ') : null, line.message);
  }

  function render() {
    const visible = lines.filter(shown);
    list.replaceChildren(...visible.map(row));
    count.textContent = `${visible.length} of ${lines.length} lines`;
  }

  // Reads every line written since the last call (page after page) and shows those at the chosen level.
  async function update() {
    const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
    for (;;) {
      const page = await api(`/runs/${runId}/logs?after=${after}&limit=${PAGE}`);
      lines.push(...page.lines);
      for (const line of page.lines.filter(shown)) list.append(row(line));
      after = page.next;
      if (!page.more) break;
    }
    count.textContent = `${lines.filter(shown).length} of ${lines.length} lines`;
    if (atBottom) list.scrollTop = list.scrollHeight;
  }

  return { element, update };
}
