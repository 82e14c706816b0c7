namespace Suite.LocalGateway.ExtProc;

/// <summary>One gRPC channel per pool picker.</summary>
internal sealed class PickerChannels;
