package store

import "golang.org/x/sys/windows"

// freeSpace is the space on dir's disk available to this user, which
// quotas may make less than the disk's free space.
func freeSpace(dir string) (uint64, error) {
	name, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return 0, err
	}
	var avail uint64
	if err := windows.GetDiskFreeSpaceEx(name, &avail, nil, nil); err != nil {
		return 0, err
	}
	return avail, nil
}
