import type { Request, Response } from 'express';
import { html } from '../../../web/html';
import { sendPage } from '../../../web/sendPage';
import type { StaffRequestContext, StaffRoute } from '../staffRoute';
import type { StaffWebDeps } from '../StaffWebDeps';
import type { Organisation } from '../../staffModel';
import { TOPIC_LABEL_KEYS } from '../topicLabels';
import { actorOf, adminRoute, forbidden, loadFromPath, pageNotice, type PageState } from './adminHelpers';
import { organisationForm, readOrganisationForm } from './organisationForm';
import { createOrganisation, updateOrganisation, type OrganisationInput } from '../../useCases/organisations';
import { defaultRoutingSettings } from '../../useCases/organisationSettings';
import { findOrganisation, listOrganisations, listStaff } from '../../useCases/staffQueries';

/** The organisations staff belong to: the towns each serves, the topics it answers, and its opening hours. */
export function organisationRoutes(deps: StaffWebDeps): StaffRoute[] {
  const areaName = (id: string) => deps.areas.find((a) => a.id === id)?.name ?? id;
  const newOrganisation = (): OrganisationInput => ({ name: '', areas: [], ...defaultRoutingSettings(deps.defaultTimeZone) });

  const organisationsPage = async (req: Request, res: Response, ctx: StaffRequestContext, options: PageState<OrganisationInput> = {}) => {
    const organisations = await listOrganisations(deps);
    const staff = await listStaff(deps);
    sendPage(res, ctx, {
      status: options.status,
      title: ctx.t('staff:admin.organisations.title'),
      notice: pageNotice(req, ctx, options.error),
      body: html`${
        organisations.length
          ? html`<table>
<thead><tr><th scope="col">${ctx.t('staff:admin.organisations.name')}</th><th scope="col">${ctx.t('staff:admin.organisations.areas')}</th><th scope="col">${ctx.t('staff:admin.organisations.topics')}</th><th scope="col">${ctx.t('staff:admin.organisations.timeZone')}</th><th scope="col">${ctx.t('staff:admin.organisations.staffCount')}</th></tr></thead>
<tbody>${organisations.map(
              (o) =>
                html`<tr><td><a href="/staff/admin/organisations/${o.id}">${o.name}</a></td><td>${o.areas.map(areaName).join(', ')}</td><td>${o.topics.map((t) => ctx.t(TOPIC_LABEL_KEYS[t])).join(', ')}</td><td dir="ltr">${o.timeZone}</td><td><a href="/staff/admin/staff?organisation=${o.id}">${staff.filter((s) => s.organisationId === o.id).length}</a></td></tr>`,
            )}</tbody>
</table>`
          : html`<p>${ctx.t('staff:admin.organisations.none')}</p>`
      }
<h2>${ctx.t('staff:admin.organisations.createTitle')}</h2>
${organisationForm(ctx, deps.areas, '/staff/admin/organisations', options.values ?? newOrganisation(), 'staff:admin.organisations.create')}`,
    });
  };

  const organisationEditPage = (req: Request, res: Response, ctx: StaffRequestContext, organisation: Organisation, options: PageState<OrganisationInput> = {}) =>
    sendPage(res, ctx, {
      status: options.status,
      title: organisation.name,
      notice: pageNotice(req, ctx, options.error),
      body: html`${organisationForm(ctx, deps.areas, `/staff/admin/organisations/${organisation.id}`, options.values ?? organisation, 'staff:admin.organisations.save')}
<p><a href="/staff/admin/staff?organisation=${organisation.id}">${ctx.t('staff:admin.organisations.viewStaff')}</a></p>
<p><a href="/staff/organisations/${organisation.id}/replies">${ctx.t('staff:organisationReplies.link')}</a></p>
<p><a href="/staff/admin/organisations">${ctx.t('staff:admin.organisations.back')}</a></p>`,
    });

  const organisationOf = (req: Request, res: Response, ctx: StaffRequestContext) =>
    loadFromPath(req, res, ctx, (id) => findOrganisation(deps, id), '/staff/admin/organisations', 'staff:admin.organisations.back');

  return [
    adminRoute('get', '/staff/admin/organisations', (req, res, ctx) => organisationsPage(req, res, ctx)),
    adminRoute('post', '/staff/admin/organisations', async (req, res, ctx) => {
      const values = readOrganisationForm(req);
      const created = await createOrganisation(deps, actorOf(ctx), values);
      if (!created.ok) {
        const error = created.refusal;
        return error === 'forbidden' ? forbidden(res, ctx) : organisationsPage(req, res, ctx, { status: error === 'nameTaken' ? 409 : 400, error, values });
      }
      res.redirect(303, '/staff/admin/organisations?done=organisation-created');
    }),
    adminRoute('get', '/staff/admin/organisations/:id', async (req, res, ctx) => {
      const organisation = await organisationOf(req, res, ctx);
      if (organisation) organisationEditPage(req, res, ctx, organisation);
    }),
    adminRoute('post', '/staff/admin/organisations/:id', async (req, res, ctx) => {
      const organisation = await organisationOf(req, res, ctx);
      if (!organisation) return;
      const values = readOrganisationForm(req);
      const updated = await updateOrganisation(deps, actorOf(ctx), organisation, values);
      if (!updated.ok) {
        const error = updated.refusal;
        return error === 'forbidden' ? forbidden(res, ctx) : organisationEditPage(req, res, ctx, organisation, { status: error === 'nameTaken' ? 409 : 400, error, values });
      }
      res.redirect(303, `/staff/admin/organisations/${organisation.id}?done=${updated.value.changed.length ? 'organisation-updated' : 'organisation-unchanged'}`);
    }),
  ];
}
