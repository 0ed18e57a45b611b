import { describeYearOf, type YearPartnership } from '../support/year-simulation.js';

// Issue 8: a simulated year of Walsall (see test/support/year-simulation.ts for what runs and what is checked).
const walsall: YearPartnership = {
  name: 'walsall',
  tenant: '7d77d8d7-300f-400f-9f23-ea9315316598',
  admin: { aad: '3dd76a25-64dc-457a-9ed8-c91a2c03a0f7', name: 'Sharon McDermott' },
  skip: { plan: 'quarterly-dataset', date: '2027-06-30', reply: 'Skipped Wed 30 Jun 2027 of quarterly-dataset: its cycle will not start.' },
  handChecked: {
    // The last day of each quarter (30 June skipped); the December one starts on Friday 31 December itself.
    'quarterly-dataset': { '': ['2027-03-31', '2027-09-30', '2027-12-31'] },
    // Agreed each April: its themes stage opens two months before 1 April.
    'multi-agency-audit-programme': { '': ['2027-04-01'] },
    // Each September.
    'single-agency-training-assurance': { '': ['2027-09-01'] },
  },
  silentAgency: 'west-midlands-police',
};

describeYearOf(walsall);
