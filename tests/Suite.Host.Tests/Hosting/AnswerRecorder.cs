using Suite.Messaging;

namespace Suite.Host.Tests.Hosting;

/// <summary>Stands between the in-process bus and a handler, keeping what the handler answered to each delivery.</summary>
internal sealed class AnswerRecorder<T>(ITopicHandler<T> handler) : ITopicHandler<T>
    where T : class
{
    public List<DeliveryResult> Answers { get; } = [];

    public async Task<DeliveryResult> HandleAsync(T payload, CancellationToken cancellationToken)
    {
        var answer = await handler.HandleAsync(payload, cancellationToken);
        Answers.Add(answer);
        return answer;
    }
}
