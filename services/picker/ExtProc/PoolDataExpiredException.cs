namespace Suite.Picker.ExtProc;

/// <summary>
/// The pool's figures are too old to route on: the stream ends with gRPC UNAVAILABLE instead of an answer, which
/// is how a gateway learns to apply the pool's <c>failureMode</c> (FailOpen: route without the picker;
/// FailClose: refuse the request).
/// </summary>
internal sealed class PoolDataExpiredException(string message) : Exception(message);
