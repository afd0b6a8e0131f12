# Signs one file for the Windows bundle (called by `tauri build` through bundle.windows.signCommand
# in src-tauri/tauri.conf.json, once per binary and installer; "%1" is the file). The certificate
# comes from the environment only, never from the repository:
#   TRESOR_SIGN_PFX_BASE64     the code-signing certificate (.pfx) as base64
#   TRESOR_SIGN_PFX_PASSWORD   its password
#   TRESOR_SIGN_THUMBPRINT     instead of the two above: a certificate in the user's store
#                              (e.g. on a hardware token / EV certificate)
#   TRESOR_SIGN_TIMESTAMP_URL  RFC 3161 timestamp server (default http://timestamp.digicert.com)
#   TRESOR_SIGN_REQUIRED=1     fail when no certificate is given (release builds); otherwise an
#                              unsigned development build goes on with a warning.
param([Parameter(Mandatory = $true)][string]$File)
$ErrorActionPreference = 'Stop'

$timestamp = if ($env:TRESOR_SIGN_TIMESTAMP_URL) { $env:TRESOR_SIGN_TIMESTAMP_URL } else { 'http://timestamp.digicert.com' }
$signtool = Get-Command signtool.exe -ErrorAction SilentlyContinue
if (-not $signtool) {
  $kit = Get-ChildItem "${env:ProgramFiles(x86)}\Windows Kits\10\bin\*\x64\signtool.exe" -ErrorAction SilentlyContinue |
    Sort-Object FullName -Descending | Select-Object -First 1
  if ($kit) { $signtool = $kit.FullName } else { throw 'signtool.exe not found (install the Windows SDK)' }
} else { $signtool = $signtool.Source }

$common = @('sign', '/fd', 'sha256', '/td', 'sha256', '/tr', $timestamp, '/d', 'Tresor')
if ($env:TRESOR_SIGN_PFX_BASE64) {
  # The .pfx lives only for this call, in the user's temp folder, and is removed afterwards.
  $pfx = Join-Path ([IO.Path]::GetTempPath()) ("tresor-sign-" + [Guid]::NewGuid() + ".pfx")
  try {
    [IO.File]::WriteAllBytes($pfx, [Convert]::FromBase64String($env:TRESOR_SIGN_PFX_BASE64))
    & $signtool @common /f $pfx /p $env:TRESOR_SIGN_PFX_PASSWORD $File
    if ($LASTEXITCODE -ne 0) { throw "signtool failed ($LASTEXITCODE) for $File" }
  } finally {
    Remove-Item -Force -ErrorAction SilentlyContinue $pfx
  }
} elseif ($env:TRESOR_SIGN_THUMBPRINT) {
  & $signtool @common /sha1 $env:TRESOR_SIGN_THUMBPRINT $File
  if ($LASTEXITCODE -ne 0) { throw "signtool failed ($LASTEXITCODE) for $File" }
} elseif ($env:TRESOR_SIGN_REQUIRED -eq '1') {
  throw "no signing certificate in the environment (TRESOR_SIGN_PFX_BASE64 or TRESOR_SIGN_THUMBPRINT) for $File"
} else {
  Write-Warning "not signed (no certificate in the environment): $File"
  exit 0
}
& $signtool verify /pa /q $File
if ($LASTEXITCODE -ne 0) { throw "the signature of $File does not verify" }
