import type { Request } from 'express';
import { html } from '../../../web/html';
import { csrfField } from '../../../web/csrf';
import { field, fieldList } from '../../../web/requestValues';
import { TIME_ZONES } from '../../../shared/isTimeZone';
import { ESCALATION_TOPICS, type LocalTime, type WeeklyHours } from '../../staffModel';
import type { OrganisationInput } from '../../useCases/organisations';
import { MAX_INTERVALS_PER_DAY, WEEKDAYS, type Weekday } from '../../useCases/organisationSettings';
import type { StaffRequestContext } from '../staffRoute';
import { TOPIC_LABEL_KEYS } from '../topicLabels';
import { NAME_MAX, nameField, unique } from './adminHelpers';

/*
 * The organisation form: name, towns, and the routing settings (topics, time zone, opening hours). Plain HTML
 * fields, so it works without JavaScript: each weekday has MAX_INTERVALS_PER_DAY rows of two `HH:MM` fields,
 * an empty row is no interval, and a half-filled one is refused by the use case rather than guessed at.
 */

const hourField = (day: Weekday, row: number, end: 'open' | 'close') => `hours-${day}-${row}-${end}`;

/** A time as typed, bounded; `HH:MM` checking is the use case's. */
const timeField = (req: Request, name: string): LocalTime => field(req, name).trim().slice(0, 5);

export function readOrganisationForm(req: Request): OrganisationInput {
  const openingHours: Partial<Record<Weekday, [LocalTime, LocalTime][]>> = {};
  for (const day of WEEKDAYS) {
    const intervals: [LocalTime, LocalTime][] = [];
    for (let row = 0; row < MAX_INTERVALS_PER_DAY; row += 1) {
      const open = timeField(req, hourField(day, row, 'open'));
      const close = timeField(req, hourField(day, row, 'close'));
      if (open || close) intervals.push([open, close]);
    }
    if (intervals.length) openingHours[day] = intervals;
  }
  return {
    name: nameField(req),
    areas: unique(fieldList(req, 'areas')),
    topics: unique(fieldList(req, 'topics')),
    timeZone: field(req, 'timeZone').trim().slice(0, 64),
    openingHours,
  };
}

/** A Monday (1 January 2024): weekday names come from Intl in the page's language, not from a word list. */
const MONDAY_UTC = Date.UTC(2024, 0, 1, 12);
const weekdayName = (locale: string, day: Weekday) => new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(MONDAY_UTC + (day - 1) * 86_400_000));

const TIME_PATTERN = '(?:[01][0-9]|2[0-3]):[0-5][0-9]|24:00';

export function organisationForm(ctx: StaffRequestContext, areas: readonly { readonly id: string; readonly name: string }[], action: string, values: OrganisationInput, submitKey: string) {
  const hours: WeeklyHours = values.openingHours;
  const hourInput = (day: Weekday, row: number, end: 'open' | 'close') => {
    const name = hourField(day, row, end);
    const value = hours[day]?.[row]?.[end === 'open' ? 0 : 1] ?? '';
    const label = ctx.t(end === 'open' ? 'staff:admin.organisations.opens' : 'staff:admin.organisations.closes', { day: weekdayName(ctx.locale, day), n: row + 1 });
    return html`<input id="${name}" name="${name}" value="${value}" size="5" maxlength="5" inputmode="numeric" pattern="${TIME_PATTERN}" placeholder="HH:MM" aria-label="${label}" dir="ltr">`;
  };
  return html`<form method="post" action="${action}" class="stack wide">
${csrfField(ctx)}
<label for="organisation-name">${ctx.t('staff:admin.organisations.name')}</label>
<input id="organisation-name" name="name" required maxlength="${NAME_MAX}" value="${values.name}">
<fieldset>
<legend>${ctx.t('staff:admin.organisations.areas')}</legend>
${areas.map((a, i) => html`<div><input type="checkbox" id="area-${i}" name="areas" value="${a.id}"${values.areas.includes(a.id) ? html` checked` : ''}> <label for="area-${i}">${a.name}</label></div>`)}
</fieldset>
<fieldset>
<legend>${ctx.t('staff:admin.organisations.topics')}</legend>
<p>${ctx.t('staff:admin.organisations.topicsNote')}</p>
${ESCALATION_TOPICS.map((topic) => html`<div><input type="checkbox" id="topic-${topic}" name="topics" value="${topic}"${values.topics.includes(topic) ? html` checked` : ''}> <label for="topic-${topic}">${ctx.t(TOPIC_LABEL_KEYS[topic])}</label></div>`)}
</fieldset>
<label for="organisation-time-zone">${ctx.t('staff:admin.organisations.timeZone')}</label>
<input id="organisation-time-zone" name="timeZone" required maxlength="64" list="time-zones" value="${values.timeZone}" dir="ltr" aria-describedby="time-zone-note">
<p id="time-zone-note">${ctx.t('staff:admin.organisations.timeZoneNote')}</p>
<datalist id="time-zones">${TIME_ZONES.map((z) => html`<option value="${z}">`)}</datalist>
<fieldset>
<legend>${ctx.t('staff:admin.organisations.openingHours')}</legend>
<p>${ctx.t('staff:admin.organisations.openingHoursNote', { max: MAX_INTERVALS_PER_DAY })}</p>
<table class="hours">
<thead><tr><th scope="col">${ctx.t('staff:admin.organisations.day')}</th>${Array.from({ length: MAX_INTERVALS_PER_DAY }, (_, row) => html`<th scope="col">${ctx.t('staff:admin.organisations.interval', { n: row + 1 })}</th>`)}</tr></thead>
<tbody>${WEEKDAYS.map(
    (day) =>
      html`<tr><th scope="row">${weekdayName(ctx.locale, day)}</th>${Array.from({ length: MAX_INTERVALS_PER_DAY }, (_, row) => html`<td>${hourInput(day, row, 'open')} – ${hourInput(day, row, 'close')}</td>`)}</tr>`,
  )}</tbody>
</table>
</fieldset>
<button type="submit">${ctx.t(submitKey)}</button>
</form>`;
}
