// A small valid partnership file for schema tests: line numbers matter, as tests edit one line and expect its position.
export const testshireFile = `partnership:
  slug: testshire
  name: Testshire Safeguarding Partnership
agencies:
  - key: testshire-council
    name: Testshire Council
    sector: local_authority
    leads: [sam-patel]
members:
  - key: sam-patel
    name: Sam Patel
    email: sam.patel@example.org
    agency: testshire-council
    roles: [business_manager]
  - key: jo-smith
    name: Jo Smith
    slack: U0JOSMITH1
groups:
  - key: practice-review-group
    name: Practice Review Group
    kind: practice_review
    chair: sam-patel
    members: [jo-smith]
`;
