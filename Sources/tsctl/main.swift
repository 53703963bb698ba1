import TsctlCLI

Tsctl.runMain()
