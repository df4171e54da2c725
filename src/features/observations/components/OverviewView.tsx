/** The overview: latest vital signs as cards, labs by panel, social history, other categories, uncategorized. */
import type { CategorySection, LabPanelModel, Overview, OverviewItem, VitalItem } from '../model/overview.ts';
import { FlagMark, StatusBadge, TableScroll } from './parts.tsx';
import { Sparkline } from './Sparkline.tsx';

interface Props {
  readonly overview: Overview;
  readonly onOpen: (groupKey: string) => void;
}

export function OverviewView({ overview, onOpen }: Props) {
  return (
    <div className="obs-overview">
      <section aria-labelledby="obs-vitals-heading">
        <h3 id="obs-vitals-heading">Vital signs</h3>
        {overview.vitals.length === 0 ? (
          <p className="obs-muted">No vital signs recorded.</p>
        ) : (
          <ul className="obs-cards">
            {overview.vitals.map((item) => (
              <li key={item.key}>
                <VitalCard item={item} onOpen={onOpen} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="obs-labs-heading">
        <h3 id="obs-labs-heading">Laboratory results</h3>
        {overview.labPanels.length === 0 ? (
          <p className="obs-muted">No laboratory results recorded.</p>
        ) : (
          overview.labPanels.map((panel) => <LabPanelTable key={panel.id} panel={panel} onOpen={onOpen} />)
        )}
      </section>

      {overview.socialHistory.length > 0 && (
        <section aria-labelledby="obs-social-heading">
          <h3 id="obs-social-heading">Social history</h3>
          <ItemsTable caption="Social history" items={overview.socialHistory} onOpen={onOpen} />
        </section>
      )}

      {overview.otherCategories.map((section: CategorySection) => (
        <section key={section.label} aria-label={section.label}>
          <h3>{section.label}</h3>
          <ItemsTable caption={section.label} items={section.items} onOpen={onOpen} />
        </section>
      ))}

      {overview.uncategorized.length > 0 && (
        <section aria-labelledby="obs-uncategorized-heading">
          <h3 id="obs-uncategorized-heading">Without a category</h3>
          <ItemsTable
            caption="Observations without a category"
            items={overview.uncategorized}
            onOpen={onOpen}
          />
        </section>
      )}
    </div>
  );
}

function VitalCard({ item, onOpen }: { item: VitalItem; onOpen: (key: string) => void }) {
  const { latest } = item;
  return (
    <button
      type="button"
      className="obs-card"
      onClick={() => {
        onOpen(item.key);
      }}
    >
      <span className="obs-card__label">{item.concept.label}</span>
      <span className="obs-card__value">{latest.value.text}</span>
      <span className="obs-card__marks">
        <FlagMark
          flag={latest.flag}
          source={latest.flagSource}
          interpretationText={latest.interpretationText}
        />
        <StatusBadge mark={latest.statusMark} />
      </span>
      <span className="obs-card__date">{latest.effective.label}</span>
      {item.sparkline && <Sparkline model={item.sparkline} />}
    </button>
  );
}

function LabPanelTable({ panel, onOpen }: { panel: LabPanelModel; onOpen: (key: string) => void }) {
  return (
    <TableScroll label={panel.label}>
      <table className="obs-table">
        <caption>{panel.label}</caption>
        <thead>
          <tr>
            <th scope="col">Test</th>
            <th scope="col">Latest</th>
            <th scope="col">Flag</th>
            <th scope="col">Reference range</th>
            <th scope="col">Date</th>
          </tr>
        </thead>
        <tbody>
          {panel.items.map((item) => (
            <tr key={item.key}>
              <th scope="row">
                <OpenButton item={item} onOpen={onOpen} />
              </th>
              <td>
                {item.latest.value.text} <StatusBadge mark={item.latest.statusMark} />
              </td>
              <td>
                <FlagMark
                  flag={item.latest.flag}
                  source={item.latest.flagSource}
                  interpretationText={item.latest.interpretationText}
                />
              </td>
              <td>{item.latest.referenceRange?.text ?? ''}</td>
              <td className="obs-nowrap">{item.latest.effective.label}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function ItemsTable({
  caption,
  items,
  onOpen,
}: {
  caption: string;
  items: readonly OverviewItem[];
  onOpen: (key: string) => void;
}) {
  return (
    <TableScroll label={caption}>
      <table className="obs-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Observation</th>
            <th scope="col">Latest</th>
            <th scope="col">Date</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.key}>
              <th scope="row">
                <OpenButton item={item} onOpen={onOpen} />
              </th>
              <td>
                {item.latest.value.text}{' '}
                <FlagMark
                  flag={item.latest.flag}
                  source={item.latest.flagSource}
                  interpretationText={item.latest.interpretationText}
                />{' '}
                <StatusBadge mark={item.latest.statusMark} />
              </td>
              <td className="obs-nowrap">{item.latest.effective.label}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function OpenButton({ item, onOpen }: { item: OverviewItem; onOpen: (key: string) => void }) {
  return (
    <button
      type="button"
      className="obs-link"
      onClick={() => {
        onOpen(item.key);
      }}
    >
      {item.label}
      {item.count > 1 && <span className="obs-muted"> · {item.count} values</span>}
    </button>
  );
}
