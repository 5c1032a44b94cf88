Unicode true

####
## Callboard's Windows installer: Wails' NSIS project (`wails build -nsis`
## wrote it and wails_tools.nsh from Wails v2.13.0's templates and
## wails.json; wails_tools.nsh is kept as written), made to
## install two executables for the current user, without admin rights:
##   callboard-window.exe  the window (Start menu, callboard:// links)
##   callboard.exe         the command line (added to the user's PATH)
## scripts/windows-installer.sh stages it beside Wails' WebView2
## bootstrapper and runs makensis with:
##   -DARG_WAILS_AMD64_BINARY=<window exe> -DARG_CLI_BINARY=<cli exe>
##   -DVERSION=<git describe> -DVERSION_NUMERIC=<a.b.c.d> -DOUTFILE=<installer>
## The uninstaller removes what the installer put there and nothing else:
## the data dir (%USERPROFILE%\.local\share\callboard, or CALLBOARD_HOME)
## and the window's WebView2 profile stay.
####
!define INFO_PROJECTNAME    "Callboard"
!define INFO_COMPANYNAME    "Callboard"
!define INFO_PRODUCTNAME    "Callboard"
!define INFO_PRODUCTVERSION "${VERSION}"
!define INFO_COPYRIGHT      "The Callboard developers"
!define PRODUCT_EXECUTABLE  "callboard-window.exe"
!define CLI_EXECUTABLE      "callboard.exe"
!define UNINST_KEY_NAME     "Callboard"
!define WAILS_INSTALL_SCOPE "user"
!define REQUEST_EXECUTION_LEVEL "user"

!include "wails_tools.nsh"
!include "StrFunc.nsh"
${StrStr}
${UnStrRep}

VIProductVersion "${VERSION_NUMERIC}"
VIFileVersion    "${VERSION_NUMERIC}"

VIAddVersionKey "CompanyName"     "${INFO_COMPANYNAME}"
VIAddVersionKey "FileDescription" "${INFO_PRODUCTNAME} Installer"
VIAddVersionKey "ProductVersion"  "${INFO_PRODUCTVERSION}"
VIAddVersionKey "FileVersion"     "${INFO_PRODUCTVERSION}"
VIAddVersionKey "LegalCopyright"  "${INFO_COPYRIGHT}"
VIAddVersionKey "ProductName"     "${INFO_PRODUCTNAME}"

# Enable HiDPI support. https://nsis.sourceforge.io/Reference/ManifestDPIAware
ManifestDPIAware true

# Same sources, same installer: no file dates recorded (installed files
# get the time of installing).
SetDateSave off
SetCompressor /SOLID lzma

!include "MUI.nsh"

!define MUI_ICON "..\icon.ico"
!define MUI_UNICON "..\icon.ico"
!define MUI_FINISHPAGE_NOAUTOCLOSE
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${PRODUCT_EXECUTABLE}"
!define MUI_FINISHPAGE_RUN_TEXT "Open Callboard"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

Name "${INFO_PRODUCTNAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${INFO_PRODUCTNAME}"
ShowInstDetails show

# NSIS strings hold 1024 characters here: a longer PATH read from the
# registry comes back cut, and writing it back would lose the rest.
!define PATH_LIMIT 1000

Function .onInit
   !insertmacro wails.checkArchitecture
FunctionEnd

Section
    !insertmacro wails.setShellContext

    !insertmacro wails.webview2runtime

    SetOutPath $INSTDIR

    !insertmacro wails.files
    File "/oname=${CLI_EXECUTABLE}" "${ARG_CLI_BINARY}"
    File "/oname=callboard.ico" "..\icon.ico"

    CreateShortcut "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}" "" "$INSTDIR\callboard.ico"

    # callboard:// links open the window (HKCU: this user only). The exe's
    # path is quoted: the install dir may hold spaces.
    !insertmacro CUSTOM_PROTOCOL_ASSOCIATE "callboard" "URL:Callboard" "$INSTDIR\callboard.ico" "$\"$INSTDIR\${PRODUCT_EXECUTABLE}$\" $\"%1$\""

    # The command line from any new terminal: the install dir on the user's PATH.
    ReadRegStr $0 HKCU "Environment" "Path"
    StrLen $1 $0
    ${If} $1 > ${PATH_LIMIT}
        DetailPrint "Your PATH is too long to change here: add $INSTDIR to it to run callboard from a terminal."
    ${Else}
        ${StrStr} $2 ";$0;" ";$INSTDIR;"
        ${If} $2 == ""
            ${If} $0 == ""
                StrCpy $0 "$INSTDIR"
            ${Else}
                StrCpy $0 "$0;$INSTDIR"
            ${EndIf}
            WriteRegExpandStr HKCU "Environment" "Path" "$0"
            WriteRegStr HKCU "Software\${INFO_PRODUCTNAME}" "AddedToPath" "$INSTDIR"
            SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
        ${EndIf}
    ${EndIf}

    !insertmacro wails.writeUninstaller
SectionEnd

Section "uninstall"
    !insertmacro wails.setShellContext

    Delete "$INSTDIR\${PRODUCT_EXECUTABLE}"
    Delete "$INSTDIR\${CLI_EXECUTABLE}"
    Delete "$INSTDIR\callboard.ico"
    Delete "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk"

    !insertmacro CUSTOM_PROTOCOL_UNASSOCIATE "callboard"

    # Take out of PATH only the entry this installer added.
    ReadRegStr $3 HKCU "Software\${INFO_PRODUCTNAME}" "AddedToPath"
    ReadRegStr $0 HKCU "Environment" "Path"
    StrLen $1 $0
    ${If} $3 != ""
    ${AndIf} $1 <= ${PATH_LIMIT}
        ${UnStrRep} $0 ";$0;" ";$3;" ";"
        StrCpy $0 $0 "" 1
        StrCpy $0 $0 -1
        WriteRegExpandStr HKCU "Environment" "Path" "$0"
        SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
    ${EndIf}
    DeleteRegKey HKCU "Software\${INFO_PRODUCTNAME}"

    !insertmacro wails.deleteUninstaller
    # Only if empty: anything else in it is not ours to delete.
    RMDir $INSTDIR
SectionEnd
