// The standards shipped for each kind of audit, used where the partnership file names none of its own. The eight
// Section 11 standards follow the statutory guidance on the s11 duty (Working Together); the Care Act set follows
// the six safeguarding principles and what Safeguarding Adults Boards commonly audit; the schools' set follows
// Keeping Children Safe in Education (s175 of the Education Act 2002, s157 for independent schools).
import type { S11Variant, Standard } from './model.js';

const std = (key: string, number: string, name: string, guidance: string, evidence: string[]): Standard => ({ key, number, name, guidance, evidence });

const SECTION_11: Standard[] = [
  std('s1', '1', 'Senior management commitment', 'Senior managers are committed to safeguarding and promoting the welfare of children, and it is part of the agency\'s governance.', ['Board or governance minutes', 'Named senior lead for safeguarding', 'Safeguarding in the business plan']),
  std('s2', '2', 'Statement of safeguarding responsibilities', 'A clear statement of the agency\'s responsibilities towards children is available to all staff.', ['Safeguarding policy and its review date', 'Where staff find it (intranet, induction pack)']),
  std('s3', '3', 'Clear line of accountability', 'A clear line of accountability for the commissioning and provision of services designed to safeguard children.', ['Structure chart with the safeguarding lead', 'Job descriptions naming safeguarding duties']),
  std('s4', '4', 'Service development informed by children\'s views', 'Service development takes safeguarding into account and is informed by the views of children and families.', ['Consultation or feedback from children and families', 'Equality or impact assessments']),
  std('s5', '5', 'Safeguarding training', 'Staff have the safeguarding training they need for their role, kept up to date.', ['Training needs analysis', 'Completion rates by level', 'Training evaluation']),
  std('s6', '6', 'Safer recruitment and allegations', 'Safer recruitment, vetting and the management of allegations against staff.', ['DBS and vetting records', 'Allegations procedure and LADO referrals', 'Interview panels trained in safer recruitment']),
  std('s7', '7', 'Effective inter-agency working', 'The agency works effectively with others to safeguard children, including escalation of disagreements.', ['Attendance at partnership groups and case conferences', 'Use of the escalation policy']),
  std('s8', '8', 'Information sharing', 'Information is shared appropriately and in time to safeguard children.', ['Information sharing agreement', 'Staff guidance on consent and sharing', 'Audit of referrals']),
];

const CARE_ACT: Standard[] = [
  std('ca1', '1', 'Leadership and accountability', 'Senior leaders own adult safeguarding; there is a named lead and a clear line of accountability.', ['Named adult safeguarding lead', 'Board or governance reports']),
  std('ca2', '2', 'Policies and procedures', 'Adult safeguarding policy in line with the Care Act 2014 and the multi-agency procedures, known to staff.', ['Policy and review date', 'How staff are made aware']),
  std('ca3', '3', 'Making Safeguarding Personal', 'Adults are asked what outcomes they want, and practice is person-led and outcome-focused.', ['Outcome recording', 'Feedback from adults and carers']),
  std('ca4', '4', 'Mental capacity and advocacy', 'The Mental Capacity Act is applied, and adults have advocacy where they need it.', ['Capacity assessments audited', 'Referrals to advocacy']),
  std('ca5', '5', 'Training and workforce', 'Staff have adult safeguarding training for their role and supervision that covers it.', ['Training completion by level', 'Supervision policy']),
  std('ca6', '6', 'Safer recruitment and allegations', 'Safer recruitment and the management of concerns about people in positions of trust.', ['Vetting records', 'PiPoT procedure']),
  std('ca7', '7', 'Partnership working and information sharing', 'The agency shares information and works with partners to prevent and respond to abuse and neglect.', ['Information sharing agreement', 'Attendance at board subgroups']),
  std('ca8', '8', 'Learning from reviews', 'Learning from Safeguarding Adults Reviews and audits changes practice.', ['Action plans from SARs', 'Evidence of changed practice']),
];

const SCHOOLS: Standard[] = [
  std('sc1', '1', 'Leadership and the designated safeguarding lead', 'Governors and leaders make safeguarding a priority; a trained DSL and deputies are in place with time to do the role.', ['DSL and deputies named, with training dates', 'Governing body minutes']),
  std('sc2', '2', 'Policies', 'The child protection policy and staff code of conduct follow Keeping Children Safe in Education and are reviewed each year.', ['Policy and review date', 'Published on the school website']),
  std('sc3', '3', 'Training and induction', 'All staff and governors have safeguarding training and read Part 1 of KCSIE.', ['Training records', 'Signed KCSIE acknowledgements']),
  std('sc4', '4', 'Safer recruitment', 'Safer recruitment and the single central record are kept up to date.', ['Single central record check', 'Safer recruitment trained panel members']),
  std('sc5', '5', 'Early help and referrals', 'Concerns are recorded, acted on and referred in time, with early help where needed.', ['Record-keeping audit', 'Referral timeliness']),
  std('sc6', '6', 'Teaching about safeguarding', 'Children are taught how to keep safe, including online.', ['Curriculum map (RSHE, online safety)', 'Filtering and monitoring checks']),
  std('sc7', '7', 'Allegations against staff', 'Allegations and low-level concerns about staff are managed and referred to the LADO.', ['Allegations log', 'Low-level concerns policy']),
  std('sc8', '8', 'Working with partners', 'The school works with the partnership and other agencies, and escalates when it disagrees.', ['Attendance at meetings', 'Use of the escalation policy']),
];

export const DEFAULT_STANDARDS: Record<S11Variant, Standard[]> = { s11: SECTION_11, 'care-act': CARE_ACT, s175: SCHOOLS };
