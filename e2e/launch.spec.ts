/**
 * The SMART EHR launch through the sandbox EHR, as a clinician meets it (issue 3).
 */
import { expect, test } from './fixtures.ts';

test('EHR launch in a cross-site iframe shows the right patient and clinician', async ({ page, ehr }) => {
  const app = await ehr.openChart(page, { patient: 'patient-adult-1', practitioner: 'practitioner-2' });
  await expect(app.getByRole('heading', { name: 'Alice Marie Rivera' })).toBeVisible();
  await expect(app.getByTestId('clinician-name')).toHaveText('Omar Haddad');
  await expect(app.getByText('MRN-100001')).toBeVisible();
});
