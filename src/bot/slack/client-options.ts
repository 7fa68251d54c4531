/** The options of every Slack WebClient the desk makes (its own and bolt's). */
export function slackClientOptions(apiUrl: string) {
  return {
    slackApiUrl: apiUrl,
    // The outbox owns retries and Slack's Retry-After; the client must not wait or retry on its own.
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: 10_000,
  };
}
