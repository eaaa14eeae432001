// @ts-check
// The drawn network around the application (issue 21): see views/network.js.
import { api } from '../../../api.js';
import { networkSection } from '../../network.js';

/** @type {import('../panels.js').CasePanel<any>} */
export const networkPanel = {
  id: 'network',
  section: 'why',
  load: ({ row }) => api('GET', `/networks/${row.application.id}`),
  render: (state, network) => networkSection(network, state.me, state.ctx.navigate),
};
