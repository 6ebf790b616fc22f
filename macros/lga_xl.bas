Attribute VB_Name = "lga_xl"
' lga_xl buttons for workbooks on Windows (classic xlwings).
'
' Assign these macros to buttons (Developer > Insert > Button) or to the Quick
' Access Toolbar:
'   ValidateThisWorkbook  checks the active workbook with lga_xl and lists what it
'                         finds on an Issues sheet (needs Python and lga_xl)
'   RefreshRatings        recalculates every formula, =MATURITY_RATING(...) and the
'                         other lga_xl functions included (no Python needed)
'
' Python side: lga_xl/udfs.py.  Set-up: docs/excel-functions.md.
' The xlwings add-in is called by name (Application.Run), so this module needs no
' VBA reference to xlwings: a missing add-in gives a message, not a compile error.
Option Explicit

Private Const XLWINGS_ADDIN As String = "xlwings.xlam"
Private Const TITLE As String = "lga_xl"

Public Sub ValidateThisWorkbook()
    RunLgaXl "import lga_xl.udfs; lga_xl.udfs.validate_active_workbook()"
End Sub

Public Sub RefreshRatings()
    Application.CalculateFull
End Sub

Private Sub RunLgaXl(ByVal pythonCommand As String)
    Dim exitCode As Variant
    On Error GoTo AddinMissing
    exitCode = Application.Run("'" & XLWINGS_ADDIN & "'!RunPython", pythonCommand)
    On Error GoTo 0
    ' RunPython returns -1 when Python failed, after showing Python's own message.
    If Not IsEmpty(exitCode) Then
        If exitCode = -1 Then MsgBox PythonHelp(), vbExclamation, TITLE
    End If
    Exit Sub
AddinMissing:
    MsgBox AddinHelp(Err.Description), vbCritical, TITLE
End Sub

Private Function AddinHelp(ByVal reason As String) As String
    Dim message As String
    message = "lga_xl could not start the xlwings add-in (" & reason & ")." & vbCrLf & vbCrLf
    message = message & "To use the lga_xl buttons on Windows:" & vbCrLf
    message = message & "1. Install Python 3.10 or later (python.org)." & vbCrLf
    message = message & "2. In a command prompt, in the lga_xl folder, run:  pip install "".[excel]""" & vbCrLf
    message = message & "3. Then run:  xlwings addin install" & vbCrLf
    message = message & "4. Restart Excel: an xlwings tab appears on the ribbon." & vbCrLf
    message = message & "If the tab is there, allow its macros: File > Options > Trust Center."
    AddinHelp = message
End Function

Private Function PythonHelp() As String
    Dim message As String
    message = "Python could not run lga_xl (the message before this one is Python's own)." & vbCrLf & vbCrLf
    message = message & "- ""'python' is not recognized"" or ""Could not find Interpreter"": on the xlwings tab, "
    message = message & "set Interpreter to your python.exe." & vbCrLf
    message = message & "- ""No module named 'lga_xl'"" or ""'xlwings'"": in a command prompt, run "
    message = message & "pip install "".[excel]"" in the lga_xl folder with that same Python." & vbCrLf
    message = message & "- Anything else: run  lga-xl validate """ & ActiveWorkbook.Name & """  in a command prompt "
    message = message & "in the workbook's folder to see the full report."
    PythonHelp = message
End Function
