import type { Advisory } from '../domain/advisory.js';
import { CHART_HEADING, chartAltText } from '../i18n/chart-post-text.js';
import { ChatError, type ChatPort, type PostTarget } from '../ports/chat.js';
import type { ImageView } from '../view/views.js';
import type { CoreDeps } from './deps.js';
import { provesNothingPosted } from './post-once.js';
import { pngOf, reachChart } from './reach.js';

/**
 * The reach chart (疎通確認率) posted with the closing summary: once into every secretariat channel whose platform can
 * post a picture (ChatCapabilities.postImage), right after the summary (commands/closing.ts). Drills too: the
 * picture is labelled 【訓練】/[DRILL] as every message of a drill, and the chart's own title says so.
 *
 * Drawn as the reach report draws it (Core.reachChart), the PNG off the event loop. The summary is
 * what matters. A chart that cannot be drawn, is too large for a platform, or is refused by it is
 * logged once with its context and left out; it never fails or holds up the summary, and the chart stays in the
 * status view.
 *
 * Once only: a picture cannot be found again by key (ChatCapabilities.postImage), so the post ledger alone keeps a
 * retried closing from posting it twice. A closing job that ran to the end is not run again (the closure is marked
 * told, after this). Where an earlier attempt may have posted it (the job stopped between the picture and marking
 * the closure told), it is posted again and a warning says it may show twice: never silently.
 */

/** A platform's chat port, where the platform posts pictures, with the largest it takes. */
interface PictureChannel {
  chat: ChatPort;
  target: PostTarget;
  maxBytes: number;
}

function pictureChannels(deps: CoreDeps): PictureChannel[] {
  const out: PictureChannel[] = [];
  for (const channel of deps.directory.secretariatChannels()) {
    const chat = deps.chats[channel.platform];
    // A platform not configured is toSecretariat's to warn of; one without pictures simply gets none.
    const can = chat?.capabilities.postImage;
    if (!chat || can === undefined || can === false) continue;
    out.push({ chat, target: { workspaceId: channel.workspace, channelId: channel.id }, maxBytes: can.maxBytes });
  }
  return out;
}

/** The view the adapters label and caption the picture from. */
export function chartImageView(advisory: Advisory, report: Parameters<typeof chartAltText>[0]): ImageView {
  return {
    kind: 'reach_chart',
    advisoryId: advisory.id,
    title: advisory.title,
    tlp: advisory.tlp,
    severity: advisory.severity,
    drill: advisory.drill,
    heading: CHART_HEADING,
    altText: chartAltText(report),
  };
}

/**
 * Post the advisory's reach chart to the secretariat under `key` (…closing.chart, a later closing's own), in every
 * channel whose platform takes a picture that size. Never throws: each failure is logged where it happens.
 */
export async function postClosingChart(deps: CoreDeps, advisory: Advisory, key: string): Promise<void> {
  const context = { advisoryId: advisory.id, drill: advisory.drill, key };
  try {
    const channels = pictureChannels(deps);
    if (channels.length === 0) return;
    let chart: Awaited<ReturnType<typeof reachChart>>;
    try {
      chart = await reachChart(deps, advisory.id);
    } catch (err) {
      deps.log.error({ ...context, err }, 'the reach chart could not be drawn: the closing summary went without it (the chart is in the status view)');
      return;
    }
    const view = chartImageView(advisory, chart.report);
    const filename = `${advisory.id}-reach.png`;
    // Drawn smaller once (one pixel per unit, about a third of the weight), only if a platform needs it.
    let small: Uint8Array | undefined;
    for (const { chat, target, maxBytes } of channels) {
      const where = { ...context, platform: chat.platform, channel: target.channelId };
      let png = chart.png;
      if (png.byteLength > maxBytes) {
        small ??= pngOf(await deps.charts.draw(chart.spec, [1]), 1);
        png = small;
      }
      if (png.byteLength > maxBytes) {
        deps.log.warn({ ...where, bytes: png.byteLength, maxBytes }, 'the reach chart is too large for this platform even drawn smaller: not posted there (the chart is in the status view)');
        continue;
      }
      await postOnePicture(deps, chat, target, { png, filename, view }, key, where);
    }
  } catch (err) {
    // The store failing at the ledger, or a bug: still not the summary's concern.
    deps.log.error({ ...context, err }, 'the reach chart could not be posted: the closing summary went without it (the chart is in the status view)');
  }
}

async function postOnePicture(
  deps: CoreDeps,
  chat: ChatPort,
  target: PostTarget,
  image: Parameters<ChatPort['postImage']>[1],
  key: string,
  where: Record<string, unknown>,
): Promise<void> {
  const ledgerKey = `${key}@${chat.platform}:${target.channelId}`;
  const { mayHavePosted } = await deps.store.beginPost(ledgerKey, deps.clock.now().toISOString());
  if (mayHavePosted) {
    deps.log.warn(where, 'posting the reach chart again after an attempt whose outcome is unknown: a picture cannot be found again, so it may show twice');
  }
  try {
    const ref = await chat.postImage(target, image, key);
    deps.log.info({ ...where, id: ref.id, bytes: image.png.byteLength, possibleDuplicate: mayHavePosted }, 'reach chart posted with the closing summary');
  } catch (err) {
    if (provesNothingPosted(err)) await deps.store.settlePost(ledgerKey);
    const chatErr = err instanceof ChatError ? { code: err.code, reason: err.reason, kind: err.kind, maybeDone: err.maybeDone } : { err };
    deps.log.warn({ ...where, ...chatErr }, 'posting the reach chart failed: the closing summary goes without it (the chart is in the status view)');
  }
}
