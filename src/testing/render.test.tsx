import { describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { screen } from '@testing-library/react';
import { useQuery } from '@tanstack/react-query';
import { mswServer, TEST_FHIR_BASE } from './msw.ts';
import { renderWithSession } from './render.tsx';
import { useSession } from '../session/session.ts';

function PatientName() {
  const { client } = useSession();
  const query = useQuery({
    queryKey: ['test', 'patient'],
    queryFn: () => client.request<{ name: { text: string }[] }>('Patient/patient-1'),
  });
  if (query.error) return <p>{query.error.message}</p>;
  return <p>{query.data?.name[0]?.text ?? 'loading'}</p>;
}

describe('renderWithSession', () => {
  it('runs the real fhirclient Client against msw, with the bearer token', async () => {
    mswServer.use(
      http.get(`${TEST_FHIR_BASE}/Patient/patient-1`, ({ request }) =>
        request.headers.get('authorization') === 'Bearer test-access-token'
          ? HttpResponse.json({ resourceType: 'Patient', id: 'patient-1', name: [{ text: 'Ada Test' }] })
          : HttpResponse.json({}, { status: 401 }),
      ),
    );
    renderWithSession(<PatientName />);
    expect(await screen.findByText('Ada Test')).toBeInTheDocument();
  });
});
