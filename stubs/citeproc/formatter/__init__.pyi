from types import ModuleType

html: ModuleType
plain: ModuleType
