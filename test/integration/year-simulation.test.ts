import { describeYearOf, type YearPartnership } from '../support/year-simulation.js';

// Issue 8: a simulated year of Swindon (see test/support/year-simulation.ts for what runs and what is checked).
const swindon: YearPartnership = {
  name: 'swindon',
  tenant: '5ce40424-6cfb-47ba-9b27-f32ed2392389',
  admin: { aad: '8108105a-1981-43ce-bbdc-73e877fb8cf8', name: 'Rachel Whitmore' },
  skip: { plan: 'executive-meeting', date: '2027-06-10', reply: 'Skipped Thu 10 Jun 2027 of executive-meeting: its cycle will not start.' },
  handChecked: {
    // Eight a year: every seven weeks from Thursday 14 January (10 June skipped).
    'executive-meeting': { '': ['2027-01-14', '2027-03-04', '2027-04-22', '2027-07-29', '2027-09-16', '2027-11-04', '2027-12-23'] },
    // Four a year: the second Tuesday of February, May, August and November.
    'pqa-meeting': { '': ['2027-02-09', '2027-05-11', '2027-08-10', '2027-11-09'] },
    // Both boards on the first Thursday of March, June, September and December.
    'board-meeting': {
      'safeguarding-adults-board': ['2027-03-04', '2027-06-03', '2027-09-02', '2027-12-02'],
      'safeguarding-children-partnership': ['2027-03-04', '2027-06-03', '2027-09-02', '2027-12-02'],
    },
  },
  silentAgency: 'wiltshire-police',
};

describeYearOf(swindon);
