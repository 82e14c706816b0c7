extern alias ModelSim;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using ModelSim::Suite.ModelSim.Engine;
using Suite.Queue.Overload.Gateway;
using Suite.Queue.Overload.Observation;
using Suite.Queue.Overload.Workload;

namespace Suite.Queue.Overload.Runs;

/// <summary>The fleet's capacity for the workload's request size, measured and as the simulator's step model predicts it.</summary>
/// <param name="MeasuredPerSecond">Completions per second in the measured window, every pod's batch kept full.</param>
/// <param name="PredictedPerSecond">From the engine's step formula for a full batch in steady state (see <see cref="Predict"/>).</param>
/// <param name="PredictedEndToEndSeconds">One request's time in a full batch, by the same formula.</param>
/// <param name="MeanRunning">Requests running over all pods in the window, from the collector's snapshots (a full fleet: pods × batch).</param>
internal sealed record CapacityMeasurement(
    double MeasuredPerSecond,
    double PredictedPerSecond,
    double PredictedEndToEndSeconds,
    double WindowSeconds,
    int Completions,
    int Errors,
    int Streams,
    int PromptTokens,
    double TtftP50Ms,
    double TtftP99Ms,
    double EndToEndP50Ms,
    double MeanRunning,
    double MeanWaiting);

/// <summary>
/// Closed loop straight to the pods (no gateway): as many streams per pod as its batch holds, each sending the next
/// request as soon as its last one ended, started spread over one request's duration so they do not finish in
/// step. After a ramp and a settling time the completions in a fixed window give the sustained rate: every pod
/// running a full batch, nothing waiting, i.e. the most the fleet completes per second with this request size.
/// </summary>
internal static class CapacityProbe
{
    public static async Task<CapacityMeasurement> RunAsync(
        IReadOnlyList<Uri> pods,
        EngineProfile profile,
        ChatBodies bodies,
        OutputLengths lengths,
        int promptTokens,
        HttpMessageInvoker http,
        TimeSpan window,
        PoolWatch watch,
        Action<string> progress,
        CancellationToken cancellationToken)
    {
        var meanOutput = (lengths.Min + lengths.Max) / 2.0;
        var (_, predictedEndToEnd) = Predict(profile, promptTokens, meanOutput);
        var ramp = TimeSpan.FromSeconds(Math.Max(2, predictedEndToEnd));
        var settle = TimeSpan.FromSeconds(Math.Max(2, predictedEndToEnd / 2));
        var streams = pods.Count * profile.MaxNumSeqs;
        progress($"  {streams} closed-loop streams ({profile.MaxNumSeqs} per pod), ramp {ramp.TotalSeconds:0.0} s, settle {settle.TotalSeconds:0.0} s, window {window.TotalSeconds:0} s");

        var finished = new ConcurrentQueue<(long At, double TtftMs, double EndToEndMs, int PromptTokens)>();
        var errors = 0;
        var next = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var workers = new Task[streams];
        for (var i = 0; i < streams; i++)
        {
            var pod = pods[i % pods.Count];
            var delay = ramp * i / streams;
            var random = new Random(1000 + i);
            workers[i] = Task.Run(async () =>
            {
                try
                {
                    await Task.Delay(delay, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                while (!stop.IsCancellationRequested)
                {
                    var body = bodies.Create(profile.ModelName, 0, Interlocked.Increment(ref next), lengths.Draw(random));
                    var sent = Stopwatch.GetTimestamp();
                    try
                    {
                        if (await CompleteAsync(http, pod, body, stop.Token) is { } completion)
                        {
                            finished.Enqueue((completion.EndedTimestamp, Ms(sent, completion.FirstTokenTimestamp), Ms(sent, completion.EndedTimestamp), completion.PromptTokens));
                            continue;
                        }
                    }
                    catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
                    {
                        if (stop.IsCancellationRequested)
                        {
                            return; // stopped at the end of the window: the pod drops the request when its client leaves
                        }
                    }

                    Interlocked.Increment(ref errors);
                }
            }, CancellationToken.None);
        }

        var windowStart = started + (long)((ramp + settle).TotalSeconds * Stopwatch.Frequency);
        var windowEnd = windowStart + (long)(window.TotalSeconds * Stopwatch.Frequency);
        await Task.Delay(TimeSpan.FromSeconds((windowEnd - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency), cancellationToken);
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        var inWindow = finished.Where(f => f.At >= windowStart && f.At < windowEnd).ToArray();
        var (pool, _) = watch.Between(windowStart, windowEnd);
        var measuredPrompt = inWindow.Length > 0 ? (int)Math.Round(inWindow.Average(f => f.PromptTokens)) : promptTokens;
        var (predicted, endToEnd) = Predict(profile, measuredPrompt, meanOutput);
        var ttft = inWindow.Select(f => f.TtftMs).Order().ToArray();
        var e2e = inWindow.Select(f => f.EndToEndMs).Order().ToArray();
        return new CapacityMeasurement(
            inWindow.Length / window.TotalSeconds,
            predicted * pods.Count,
            endToEnd,
            window.TotalSeconds,
            inWindow.Length,
            errors,
            streams,
            measuredPrompt,
            Percentile(ttft, 0.50),
            Percentile(ttft, 0.99),
            Percentile(e2e, 0.50),
            pool.Length > 0 ? pool.Average(sample => sample.Running) : double.NaN,
            pool.Length > 0 ? pool.Average(sample => sample.Waiting) : double.NaN);
    }

    /// <summary>
    /// The engine's step cost (tools/model-sim README, "Engine model") for a full batch of B sequences in steady
    /// state, with O the mean output length: every step decodes B tokens, and B / O requests finish and as many
    /// start, each prefilling its P prompt tokens within the step (the budget of batched tokens is not the limit at
    /// these sizes). So step = overhead + B × decode + B × (P + O/2) / 1000 × KV read + (B / O) × P × prefill, a
    /// request takes O steps on average, and a pod completes (B / O) / step requests per second.
    /// </summary>
    public static (double PerPodPerSecond, double EndToEndSeconds) Predict(EngineProfile profile, int promptTokens, double outputTokens)
    {
        double batch = profile.MaxNumSeqs;
        var startsPerStep = batch / outputTokens;
        var stepMs = profile.StepOverheadMs
            + (profile.DecodeMsPerSequence * batch)
            + (profile.KvReadMsPer1kTokens * batch * (promptTokens + (outputTokens / 2.0)) / 1000)
            + (profile.PrefillMsPerToken * promptTokens * startsPerStep);
        return (startsPerStep / (stepMs / 1000), outputTokens * stepMs / 1000);
    }

    private static async Task<StreamedCompletion?> CompleteAsync(HttpMessageInvoker http, Uri pod, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(pod, "/v1/chat/completions")) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.SendAsync(request, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var completion = await StreamedCompletion.ReadAsync(stream, cancellationToken);
        return response.IsSuccessStatusCode && completion.FirstTokenTimestamp != 0 ? completion : null;
    }

    private static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    private static double Percentile(double[] sorted, double quantile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
}
