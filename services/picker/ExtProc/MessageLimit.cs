using Suite.Picker.Hosting;

namespace Suite.Picker.ExtProc;

/// <summary>
/// The largest ext_proc message the picker receives (gRPC's receive limit): a whole BUFFERED body up to
/// <see cref="PickerOptions.MaxRequestBodyBytes"/> in one message, plus room for its envelope. gRPC refuses a
/// larger message before the picker reads it.
/// </summary>
internal static class MessageLimit
{
    // gRPC framing and the protobuf envelope around a body chunk need a little room beyond the body itself.
    private const int OverheadBytes = 1024 * 1024;

    public static int Bytes(PickerOptions options) => options.MaxRequestBodyBytes + OverheadBytes;
}
